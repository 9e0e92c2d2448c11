// The last step of `npm run build`: what is made from the built commands.
//  - dist/bin/*.js get their shebang line, from SHEBANGS below (the one place it is declared);
//  - dist/output/report-client.js, ct-report's page script, copied;
//  - dist/completion-options.json: every command's long options as Tab offers them, from the
//    option tables of the built commands (see src/cli/completion.ts).
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
for (const name of Object.keys(pkg.bin)) {
  if (!SHEBANGS[name]) throw new Error(`post-build: no shebang declared for ${name}`);
  const file = path.join(root, 'dist/bin', `${name}.js`);
  writeFileSync(file, `${SHEBANGS[name]}\n${readFileSync(file, 'utf8').replace(/^#!.*\n/, '')}`);
  chmodSync(file, 0o755);
}

// ct-report's page script is browser JavaScript, not compiled: it goes beside the module that inlines it.
copyFileSync(path.join(root, 'src/output/report-client.js'), path.join(root, 'dist/output/report-client.js'));

const require = createRequire(import.meta.url);
const { allCommands } = require(path.join(root, 'dist/commands/all.js'));
const { tabOptions } = require(path.join(root, 'dist/cli/completion.js'));
const options = Object.fromEntries(allCommands.map((c) => [c.name, tabOptions(c.optionTable)]));
writeFileSync(path.join(root, 'dist/completion-options.json'), `${JSON.stringify(options, null, 2)}\n`);
