// ct-count: the shim; the command is src/commands/count.ts, the shebang is declared in scripts/post-build.mjs.
import { main } from '../cli/main';
import { countCommand } from '../commands/count';

main(countCommand);
