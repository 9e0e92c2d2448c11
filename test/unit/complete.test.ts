// The completion rules (one awk program, run here as the shells run it) over command lines
// that end at the cursor. The real shells pressing Tab are in test/e2e/completion.test.ts.
import { describe, expect, test } from 'vitest';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { complete, completionScript, COMPLETION_DATA } from '../../src/cli/completion';
import { absent, needs, tempDir } from '../helpers';
import { allCommands } from '../../src/commands/all';

const CASES: [string, string[]][] = [
  ['ct-fetch -a ', ['AccessKeyId=', 'EventId=', 'EventName=', 'EventSource=', 'ReadOnly=', 'ResourceName=', 'ResourceType=', 'Username=']],
  ['ct-fetch --lookup-attributes Event', ['EventId=', 'EventName=', 'EventSource=']],
  ['ct-fetch -a EventSource=signin', ['EventSource=signin.amazonaws.com']],
  ['ct-fetch -a ResourceType=AWS::STS::', ['ResourceType=AWS::STS::AssumedRole']],
  ['ct-fetch -a ReadOnly=', ['ReadOnly=true', 'ReadOnly=false']],
  ['ct-fetch -a Username=al', []],
  ['ct-fetch --region eu-central-', ['eu-central-1', 'eu-central-2']],
  ['ct-fetch --event-category ', ['insight']],
  ['ct-fetch --max', ['--max-items', '--max-attempts']],
  ['/usr/local/bin/ct-where --co', ['--count']],
  ['ct-where userIdentity.sessionContext.sessionIssuer.u', ['userIdentity.sessionContext.sessionIssuer.userName']],
  ['ct-where (errorMes', ['(errorMessage']],
  ['ct-where errorCode~Den', []],
  ['ct-where -- errorMes', []],
  ['ct-csv -f eventTime,errorM', ['eventTime,errorMessage']],
  ['ct-csv --tz Asia/', ['Asia/Tokyo']],
  ['ct-catalog ev', ['event-sources', 'event-names']],
  ['ct-catalog completion ', ['bash', 'zsh', 'fish']],
  ['ct-catalog event-names --source signin.', ['signin.amazonaws.com']],
  ['ls -', []],
  ['', []],
];

describe('complete(line)', () => {
  test.each(CASES)('%j -> %j', (line, want) => {
    expect(complete(line)).toEqual(want);
  });

  test('EventName= offers each name once, from every source', () => {
    const names = complete('ct-fetch -a EventName=ConsoleL');
    expect(names).toEqual(['EventName=ConsoleLogin']);
    expect(complete('ct-fetch -a EventName=Describe').length).toBeGreaterThan(500);
  });

  test('Tab offers every option in the option table of every command, and --help and --version', () => {
    expect(allCommands.map((c) => c.name).sort()).toEqual(['ct-catalog', 'ct-count', 'ct-csv', 'ct-explode', 'ct-fetch', 'ct-report', 'ct-serve', 'ct-show', 'ct-where']);
    for (const command of allCommands) {
      const offered = complete(`${command.name} -`);
      const table = Object.keys(command.optionTable);
      expect(table.length, command.name).toBeGreaterThan(0);
      for (const name of [...table, 'help', 'version']) expect(offered, `${command.name} --${name}`).toContain(`--${name}`);
    }
  });

  test.skipIf(absent('fish'))(`lists under a path with quotes, backslashes and spaces, in awk and in the bash and fish scripts ${needs('fish')}`, () => {
    const dir = path.join(tempDir(), `it's a "d\\ir"`);
    cpSync(COMPLETION_DATA, dir, { recursive: true });
    expect(complete('ct-fetch --region ap-northeast-1', dir)).toEqual(['ap-northeast-1']);
    const bash = `${completionScript('bash', dir)}
COMP_LINE='ct-fetch --region ap-northeast-1'; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(ct-fetch --region ap-northeast-1); COMP_CWORD=2
_ctpipe_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
    expect(execFileSync('bash', ['--norc', '-c', bash], { encoding: 'utf8' })).toBe('ap-northeast-1\n');
    const fish = `${completionScript('fish', dir)}
complete -C 'ct-fetch --region ap-northeast-1'`;
    expect(execFileSync('fish', ['--no-config', '-c', fish], { encoding: 'utf8' })).toBe('ap-northeast-1\n');
  });
});
