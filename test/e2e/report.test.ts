/// <reference lib="dom" />
// ct-report's page in a real browser: Debian's Chromium driven by playwright-core. The page must
// load with no console error and no request but its own file, draw marks in every chart, sort its
// table, and show hostile event text as text. A screenshot is kept in test-results/.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from 'playwright-core';
import { absent, lines, needs, ROOT, SAMPLE, sh, tempDir } from '../helpers';

const CHROMIUM = '/usr/bin/chromium';
const noBrowser = absent('chromium');
// The flags the machine's notes give for a closed network: no background calls to Google.
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const items = lines(gunzipSync(readFileSync(SAMPLE)).toString('utf8'));

let browser: Browser;
let dir = '';

beforeAll(async () => {
  dir = tempDir();
  if (!noBrowser) browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 60000);
afterAll(() => browser?.close());

interface Opened {
  page: Page;
  problems: string[];
  requests: string[];
  dialogs: string[];
}

/** Opens a file in a fresh page, noting console errors and warnings, page errors, requests and dialogs. */
async function open(file: string): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const opened: Opened = { page, problems: [], requests: [], dialogs: [] };
  page.on('console', (m) => void (['error', 'warning'].includes(m.type()) && opened.problems.push(m.text())));
  page.on('pageerror', (e) => opened.problems.push(String(e)));
  page.on('request', (r) => opened.requests.push(r.url()));
  page.on('dialog', (d) => void (opened.dialogs.push(d.message()), d.dismiss()));
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => document.querySelectorAll('#events tbody tr').length > 0 || document.getElementById('facts')?.textContent === 'No events.');
  return opened;
}

/** Per canvas: its id, the marks Chart.js laid out with a size, and how many of its pixels are painted. */
function charts(page: Page): Promise<{ id: string; marks: number; painted: number }[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('canvas')).map((canvas) => {
      // Chart.js's UMD build sets window.Chart.
      const chart = (window as unknown as { Chart: { getChart(c: HTMLCanvasElement): { data: { datasets: unknown[] }; getDatasetMeta(i: number): { data: { width: number; height: number }[] } } } }).Chart.getChart(canvas);
      const marks = chart.data.datasets.reduce((n: number, _d, i) => n + chart.getDatasetMeta(i).data.filter((bar) => Math.abs(bar.width) > 0 && Math.abs(bar.height) > 0).length, 0);
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      return { id: canvas.id, marks, painted };
    }),
  );
}

describe.skipIf(noBrowser)(`ct-report in Chromium ${needs('chromium')}`, () => {
  test('the sample: loads offline with no error, every chart drawn, the table sorts; screenshot kept', async () => {
    const file = path.join(dir, 'report.html');
    const r = await sh(`ct-report '${SAMPLE}' > '${file}'`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { page, problems, requests } = await open(file);
    expect(problems).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    const drawn = await charts(page);
    expect(drawn.map((c) => c.id)).toEqual(['timeline', 'top-user', 'top-sourceIPAddress', 'top-errorCode', 'top-eventName']);
    for (const c of drawn) {
      expect(c.marks, c.id).toBeGreaterThan(2);
      expect(c.painted, c.id).toBeGreaterThan(1000);
    }
    expect(await page.textContent('#facts')).toMatch(/^3,000 events, 2024-07-22T\S+ to 2024-07-23T12:00:00Z \(UTC\)\. Bars of 15 minutes\.$/);
    // The table: 2,000 rows (the default --rows), in the order read; a heading sorts it, twice reverses it.
    const names = () => page.$$eval('#events tbody tr', (rows) => rows.map((row) => (row as HTMLTableRowElement).cells[3].textContent ?? ''));
    const read = await names();
    expect(read).toHaveLength(2000);
    expect(read).toEqual(items.slice(0, 2000).map((l) => JSON.parse(l).EventName));
    await page.click('#events th:nth-child(4)');
    const ascending = [...read].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(await names()).toEqual(ascending);
    expect(await page.getAttribute('#events th:nth-child(4)', 'aria-sort')).toBe('ascending');
    await page.click('#events th:nth-child(4)');
    expect(await names()).toEqual([...ascending].reverse());
    // Console links: the event's page, as ct-csv's consoleUrl gives it.
    const first = await page.getAttribute('#events tbody tr:first-child a', 'href');
    expect(first).toMatch(/^https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/cloudtrailv2\/home\?region=[a-z0-9-]+#\/events\/[0-9a-f-]{36}$/);
    mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: path.join(ROOT, 'test-results/ct-report.png'), fullPage: true });
    await page.close();
  }, 60000);

  test('--by errorCode stacks the timeline by error code; the counts on the page are those of ct-count', async () => {
    const file = path.join(dir, 'errors.html');
    await sh(`ct-where 'errorCode exists' '${SAMPLE}' | ct-report --by errorCode --title 'Failed calls' > '${file}'`);
    const { page, problems } = await open(file);
    expect(problems).toEqual([]);
    expect(await page.title()).toBe('Failed calls');
    const stacks = await page.evaluate(() => {
      const chart = (window as unknown as { Chart: { getChart(id: string): { data: { datasets: { label: string; data: number[] }[] } } } }).Chart.getChart('timeline');
      return chart.data.datasets.map((d) => [d.label, d.data.reduce((a, b) => a + b, 0)]);
    });
    const counted = lines((await sh(`ct-count errorCode --json '${SAMPLE}'`)).stdout).map((l) => JSON.parse(l)).filter((g) => g.errorCode !== null);
    expect(stacks).toEqual(counted.map((g) => [g.errorCode, g.count]));
    await page.close();
  }, 60000);

  test('event text stays text: markup, script end tags and javascript: links in events do nothing', async () => {
    const evil = '</script><script>alert(1)</script><img src=x onerror=alert(2)>';
    const events = [
      { eventTime: '2024-07-22T00:00:00Z', eventName: evil, eventSource: 'x.amazonaws.com', awsRegion: 'us-east-1', eventID: 'e1', userIdentity: { type: 'IAMUser', userName: '<b>mallory</b>' }, errorCode: '"><svg onload=alert(3)>' },
      { eventTime: '2024-07-22T00:05:00Z', eventName: 'Ok', awsRegion: 'javascript:alert(4)//-1', eventID: 'e2', sourceIPAddress: "'; alert(5); '" },
    ];
    const file = path.join(dir, 'evil.html');
    writeFileSync(path.join(dir, 'evil.ndjson'), events.map((e) => JSON.stringify(e)).join('\n'));
    await sh(`ct-report --title '<i>t</i>' '${path.join(dir, 'evil.ndjson')}' > '${file}'`);
    const { page, problems, requests, dialogs } = await open(file);
    expect(dialogs).toEqual([]);
    expect(problems).toEqual([]);
    expect(requests).toEqual([`file://${file}`]);
    expect(await page.title()).toBe('<i>t</i>');
    expect(await page.$$eval('#events img, #events svg, #events b, h1 i', (found) => found.map((e) => e.outerHTML))).toEqual([]);
    expect(await page.textContent('#events tbody')).toContain(evil);
    // Only the event with a real Region gets a console link.
    expect(await page.$$eval('#events a', (links) => links.map((a) => a.getAttribute('href')))).toEqual(['https://us-east-1.console.aws.amazon.com/cloudtrailv2/home?region=us-east-1#/events/e1']);
    await page.close();
  }, 60000);

  test('no events: a page that says so, still without errors', async () => {
    const file = path.join(dir, 'empty.html');
    await sh(`ct-report < /dev/null > '${file}'`);
    const { page, problems } = await open(file);
    expect(problems).toEqual([]);
    expect(await page.textContent('#facts')).toBe('No events.');
    await page.close();
  }, 60000);
});

describe('ct-report without a browser', () => {
  test('memory bounded by distinct values: past --max-groups one line and exit 1; bad lines reported with their place', async () => {
    const r = await sh(`ct-report --max-groups 50 '${SAMPLE}'`);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('ct-report: more than 50 distinct values to count (--max-groups): raise the limit, or report on fewer events\n');
    expect(r.code).toBe(1);
    const bad = await sh('ct-report', { input: '{"eventName":"A","eventTime":"2024-07-22T00:00:00Z"}\n{"eventName":\n' });
    expect(bad.stderr).toMatch(/^ct-report: stdin:2: /);
    expect(bad.stdout).toContain('"events":1');
    expect(bad.code).toBe(1);
  });

  test('the timeline keeps at most 200 bars whatever the span: buckets widen as events spread', async () => {
    const events = Array.from({ length: 500 }, (_, i) => JSON.stringify({ eventTime: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000 * 3).toISOString(), eventName: `N${i % 30}` }));
    const r = await sh('ct-report --top 3', { input: events.join('\n') });
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(r.stdout)![1]);
    // 1,500 days: weeks would take 215 bars, so months.
    expect(data.bucketMinutes).toBe(30 * 1440);
    expect(data.buckets.length).toBeLessThanOrEqual(200);
    expect(data.series.map((s: { name: string }) => s.name)).toEqual(['N0', 'N1', 'N10', '27 other']);
    expect(data.series.reduce((n: number, s: { counts: number[] }) => n + s.counts.reduce((a, b) => a + b, 0), 0)).toBe(500);
  });
});
