// ct-explode: the shim; the command is src/commands/explode.ts, the shebang is declared in scripts/post-build.mjs.
import { main } from '../cli/main';
import { explodeCommand } from '../commands/explode';

main(explodeCommand);
