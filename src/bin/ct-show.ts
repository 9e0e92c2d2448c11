// ct-show: the shim; the command is src/commands/show.ts, the shebang is declared in scripts/post-build.mjs.
import { main } from '../cli/main';
import { showCommand } from '../commands/show';

main(showCommand);
