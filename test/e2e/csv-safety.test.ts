// CSV that a spreadsheet opens safely (issue 13, item 1), proven with a real spreadsheet engine:
// Gnumeric's ssconvert reads what ct-csv wrote, in every mode, and no cell may be a formula and
// no row may be split. The same input with --no-escape-formulas shows the engine does run them.
import { describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { absent, needs, sh, tempDir } from '../helpers';

/** OWASP's CSV injection vectors, line breaks inside cells, full-width and space-led formulas, DDE. */
const HOSTILE = [
  "=cmd|' /C calc'!A0",
  '=1+1',
  '=SUM(1,1)',
  '+1+1',
  '-1+1',
  '@SUM(1+1)',
  '\t=1+1',
  '\r=1+1',
  '=HYPERLINK("http://203.0.113.9/x","click")',
  '=DDE("cmd";"/C calc";"!A0")',
  '\uFF1D1+1',
  '  =1+1',
  "report.pdf\r=cmd|' /C calc'!A0",
  'ok\n=1+1',
  'ok\r\n@SUM(1)',
  'ssh-rsa AAAAB3NzaC1yc2E= user@host\n',
  'plain text, with a comma',
];

interface Cell {
  row: number;
  col: number;
  formula: boolean;
}

/** The cells of the sheet Gnumeric makes of `file` (a formula cell has no ValueType). */
function openInGnumeric(file: string, tsv: boolean): Cell[] {
  const out = `${file}.gnumeric`;
  const importType = tsv ? ['--import-type=Gnumeric_stf:stf_csvtab'] : [];
  execFileSync('ssconvert', [...importType, file, out], { stdio: 'ignore' });
  const xml = gunzipSync(readFileSync(out)).toString('utf8');
  return [...xml.matchAll(/<gnm:Cell Row="(\d+)" Col="(\d+)"( ValueType="\d+")?/g)].map((m) => ({ row: Number(m[1]), col: Number(m[2]), formula: !m[3] }));
}

const MODES: [string, boolean][] = [['', false], ['--tsv', true], ['--excel', false], ['--excel --tsv', true]];

describe.skipIf(absent('ssconvert'))(`ct-csv opened by a spreadsheet engine ${needs('ssconvert', 'gnumeric')}`, () => {
  const dir = tempDir();
  const input = path.join(dir, 'hostile.ndjson');
  writeFileSync(input, HOSTILE.map((text, i) => JSON.stringify({ userAgent: text, requestParameters: { key: text }, eventID: `e${i}` })).join('\n') + '\n');

  test.each(MODES)('ct-csv %s: no formula, every row whole', async (mode, tsv) => {
    const file = path.join(dir, `out${mode.replace(/\W+/g, '-')}.${tsv ? 'txt' : 'csv'}`);
    const r = await sh(`ct-csv ${mode} -f userAgent,requestParameters.key,eventID ${input} > ${file}`);
    expect(r.code).toBe(0);
    const cells = openInGnumeric(file, tsv);
    expect(cells.filter((c) => c.formula)).toEqual([]);
    const rows = Math.max(...cells.map((c) => c.row)) + 1;
    expect(rows).toBe(HOSTILE.length + 1);
    expect(cells.every((c) => c.col <= 2)).toBe(true);
    // The last column, eventID, stands in every row: no row was cut short or shifted.
    for (let row = 1; row <= HOSTILE.length; row++) expect(cells.some((c) => c.row === row && c.col === 2), `row ${row}`).toBe(true);
  });

  test('the engine does run what --no-escape-formulas keeps (the check above is not vacuous)', async () => {
    const file = path.join(dir, 'raw.csv');
    await sh(`ct-csv --no-escape-formulas -f userAgent,eventID ${input} > ${file}`);
    expect(openInGnumeric(file, false).filter((c) => c.formula).length).toBeGreaterThanOrEqual(2);
  });
});
