// The last step of `npm run build`: what is made from the built commands.
//  - dist/output/report-client.js, ct-report's page script, copied;
//  - dist/completion-options.json: every command's long options as Tab offers them, from the
//    option tables of the built commands (see src/cli/completion.ts);
//  - dist/bin/*.js made one file each (see bundle() below), with their shebang line, from
//    SHEBANGS below (the one place it is declared).
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

/**
 * How each bin starts node. Bins that make no TLS connection drop NODE_EXTRA_CA_CERTS, which
 * node would otherwise load at every start; V8 flags only where they pay (each flag costs
 * start-up): ct-explode's byte path needs a small young generation and forced minor collections
 * (see src/fast/line-exploder.ts); ct-fetch keeps the same for its many small pages.
 */
const SHEBANGS = {
  'ct-fetch': '#!/usr/bin/env -S node --max-semi-space-size=4 --expose-gc',
  'ct-explode': '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node --max-semi-space-size=4 --expose-gc',
  'ct-where': '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node',
  'ct-csv': '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node',
  'ct-count': '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node',
  'ct-show': '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node',
  'ct-report': '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node',
  'ct-catalog': '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node',
  'ct-serve': '#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node',
};

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// ct-report's page script is browser JavaScript, not compiled: it goes beside the module that inlines it.
copyFileSync(path.join(root, 'src/output/report-client.js'), path.join(root, 'dist/output/report-client.js'));

const require = createRequire(import.meta.url);
const { allCommands } = require(path.join(root, 'dist/commands/all.js'));
const { tabOptions } = require(path.join(root, 'dist/cli/completion.js'));
const options = Object.fromEntries(allCommands.map((c) => [c.name, tabOptions(c.optionTable)]));
writeFileSync(path.join(root, 'dist/completion-options.json'), `${JSON.stringify(options, null, 2)}\n`);

/**
 * Each bin, and each thread's entry, as one file in dist/bin: our modules inlined, node's and the
 * packages' left to require(). Loading a command's ~100 modules one by one (each resolved,
 * stat'ed, read and wrapped) took ~25 ms of its ~60 ms of start-up beyond node's own; three
 * commands in a pipeline start together on two cores. The modules stay in dist/ as tsc wrote
 * them, for the unit tests and post-build above. What the modules find beside them (__dirname)
 * is copied beside the bundles: the WebAssembly module and the report's page script; the two
 * thread entries are bundles too, and other paths (../../data, ../../package.json) resolve the
 * same from dist/bin as from any room of dist/.
 */
async function bundle(input, output) {
  const build = await rolldown({
    input,
    platform: 'node',
    external: (id) => !id.startsWith('.') && !path.isAbsolute(id),
    logLevel: 'warn',
  });
  const { output: chunks } = await build.generate({ format: 'cjs' });
  await build.close();
  if (chunks.length !== 1) throw new Error(`post-build: ${input} made ${chunks.length} files, not one`);
  writeFileSync(output, chunks[0].code);
}

const bin = path.join(root, 'dist/bin');
await Promise.all([
  ...Object.keys(pkg.bin).map((name) => bundle(path.join(bin, `${name}.js`), path.join(bin, `${name}.js`))),
  bundle(path.join(root, 'dist/commands/handler-thread.js'), path.join(bin, 'handler-thread.js')),
  bundle(path.join(root, 'dist/output/pipe-writer-thread.js'), path.join(bin, 'pipe-writer-thread.js')),
]);
copyFileSync(path.join(root, 'dist/fast/json-check.wasm'), path.join(bin, 'json-check.wasm'));
copyFileSync(path.join(root, 'src/output/report-client.js'), path.join(bin, 'report-client.js'));

for (const name of Object.keys(pkg.bin)) {
  if (!SHEBANGS[name]) throw new Error(`post-build: no shebang declared for ${name}`);
  const file = path.join(root, 'dist/bin', `${name}.js`);
  writeFileSync(file, `${SHEBANGS[name]}\n${readFileSync(file, 'utf8').replace(/^#!.*\n/, '')}`);
  chmodSync(file, 0o755);
}

