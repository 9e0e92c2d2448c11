#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
// `ct-catalog __complete LINE` answers shell completion without loading the CLI parser.
if (process.argv[2] === '__complete') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { complete } = require('../catalog/complete') as typeof import('../catalog/complete');
  process.stdout.write(complete(process.argv[3] ?? '').map((c) => `${c}\n`).join(''));
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require('../cli/main') as typeof import('../cli/main');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { catalogCommand } = require('../commands/catalog') as typeof import('../commands/catalog');
  main(catalogCommand);
}
