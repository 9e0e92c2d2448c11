// ct-catalog: the shim; the command is src/commands/catalog.ts, the shebang is declared in
// scripts/post-build.mjs. `ct-catalog __complete LINE` answers completion for tests and tools
// without loading the command or yargs.
import { main, runProcess } from '../cli/main';

if (process.argv[2] === '__complete') {
  const line = process.argv[3] ?? '';
  runProcess('ct-catalog', async (io) => {
    const { complete } = await import('../cli/completion');
    for (const candidate of complete(line)) io.out.writeLine(candidate);
    return 0;
  });
} else {
  void import('../commands/catalog').then(({ catalogCommand }) => main(catalogCommand));
}
