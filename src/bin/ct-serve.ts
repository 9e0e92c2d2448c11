// ct-serve: the shim; the command is src/commands/serve.ts, the shebang is declared in scripts/post-build.mjs.
import { main } from '../cli/main';
import { serveCommand } from '../commands/serve';

main(serveCommand);
