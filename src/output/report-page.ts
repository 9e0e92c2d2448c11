// ct-report's page: one self-contained HTML file. The charting library (Chart.js, MIT) and the
// page's own script (report-client.js) are inlined; the data is a JSON block no browser runs.
// A Content-Security-Policy allows exactly these two scripts (by their SHA-256) and nothing from
// the network, so event text can neither run as script nor make the page call anywhere.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

let scripts: string[] | undefined;

/** Chart.js's UMD build (from the installed package) and the page's script. */
function pageScripts(): string[] {
  scripts ??= [
    readFileSync(path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js'), 'utf8'),
    readFileSync(path.join(__dirname, 'report-client.js'), 'utf8'),
  ].map((source) => {
    if (/<\/script/i.test(source)) throw new Error('a script to inline holds </script');
    return source;
  });
  return scripts;
}

const hash = (source: string): string => `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;

/** Text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page, with `data` for its script and `title` as its title. */
export function reportPage(title: string, data: unknown): string {
  const [chartJs, client] = pageScripts();
  // In a script element only `</script` and `<!--` matter; \u003c keeps every < out of the block.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  const policy = `default-src 'none'; script-src ${hash(chartJs)} ${hash(client)}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ctpipe ct-report">
<title>${escapeHtml(title)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; margin: 0 0 .2em; }
h2 { font-size: 1.1em; margin: 1.2em 0 .4em; }
.facts { color: #555; margin: 0 0 1em; }
.chart { position: relative; height: 320px; }
.tops { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 1em 2em; }
.tops .chart { height: 300px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; padding: .25em .6em; border-bottom: 1px solid #ddd; white-space: nowrap; }
th { cursor: pointer; user-select: none; background: #f4f4f4; position: sticky; top: 0; }
th[aria-sort=ascending]::after { content: " \\25B2"; }
th[aria-sort=descending]::after { content: " \\25BC"; }
td.error { color: #b00020; }
.note { color: #555; font-style: italic; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="facts" id="facts"></p>
<h2 id="timeline-title">Events over time</h2>
<div class="chart"><canvas id="timeline" role="img" aria-label="Events over time"></canvas></div>
<div class="tops" id="tops"></div>
<h2>Events</h2>
<p class="note" id="rows-note"></p>
<table id="events"><thead><tr></tr></thead><tbody></tbody></table>
<script type="application/json" id="report-data">${json}</script>
<script>${chartJs}</script>
<script>${client}</script>
</body>
</html>
`;
}
