// ct-fetch: the shim; the command is src/commands/fetch.ts, the shebang is declared in scripts/post-build.mjs.
import { main } from '../cli/main';
import { fetchCommand } from '../commands/fetch';

main(fetchCommand);
