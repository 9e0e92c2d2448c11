// The bins as shipped: `npm run build` makes each of dist/bin/*.js one file (scripts/post-build.mjs),
// so a command starts without resolving and reading its ~100 modules one by one. What each still
// requires must be node's own or a runtime dependency (a dev dependency is absent from a
// production install), and a run must load nothing of ours but the bundles.
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { BIN_NAMES, ROOT, SAMPLE, sh, tempDir } from '../helpers';

const BIN = path.join(ROOT, 'dist/bin');
const dependencies = Object.keys((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies);

/** The package a specifier names: `stream-json/Assembler` is stream-json, `@aws-sdk/x/y` is @aws-sdk/x. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('the bins as shipped', () => {
  // ct-report's page script, beside the bundle that inlines it, is browser JavaScript.
  const files = readdirSync(BIN).filter((f) => f.endsWith('.js') && f !== 'report-client.js');

  test('every bin, and each thread entry, is one file requiring only node modules and runtime dependencies', () => {
    expect(files.sort()).toEqual([...BIN_NAMES.map((n) => `${n}.js`), 'handler-thread.js', 'pipe-writer-thread.js'].sort());
    for (const file of files) {
      const text = readFileSync(path.join(BIN, file), 'utf8');
      const required = [...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
      expect(required.length, file).toBeGreaterThan(0);
      for (const specifier of required) {
        const allowed = specifier.startsWith('node:') || builtinModules.includes(specifier) || dependencies.includes(packageOf(specifier));
        expect(allowed, `${file} requires ${specifier}`).toBe(true);
      }
    }
  });

  test('a run compiles nothing of ours but its bundle, and a worker thread nothing but its own', async () => {
    const dir = tempDir();
    const hook = path.join(dir, 'hook.cjs');
    // Every module compiled, on which thread: a --require hook, which worker threads load too.
    writeFileSync(
      hook,
      `const Module = require('node:module'); const { isMainThread } = require('node:worker_threads'); const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) { require('node:fs').writeSync(2, 'compiled ' + (isMainThread ? 'main ' : 'worker ') + filename + '\\n'); return compile.apply(this, arguments); };\n`,
    );
    const ran = await sh(`NODE_OPTIONS="--require ${hook}" CTPIPE_THREADS=1 CTPIPE_DEBUG=1 ct-where Username~a ${SAMPLE} | NODE_OPTIONS="--require ${hook}" ct-csv -f eventName`);
    expect(ran.code).toBe(0);
    expect(ran.stdout.split('\n').length).toBeGreaterThan(10);
    const compiled = ran.stderr.split('\n').filter((l) => l.startsWith('compiled ') && !l.includes('/node_modules/'));
    // The pipe between them may get a writer thread too (when ct-csv lags): a bundle as well.
    const bundles = [`main ${BIN}/ct-csv.js`, `main ${BIN}/ct-where.js`, `worker ${BIN}/handler-thread.js`];
    expect([...new Set(compiled.map((l) => l.slice('compiled '.length)))].sort()).toEqual(
      compiled.some((l) => l.endsWith('/pipe-writer-thread.js')) ? [...bundles, `worker ${BIN}/pipe-writer-thread.js`] : bundles,
    );
  });
});
