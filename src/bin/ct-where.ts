// ct-where: the shim; the command is src/commands/where.ts, the shebang is declared in scripts/post-build.mjs.
import { main } from '../cli/main';
import { whereCommand } from '../commands/where';

main(whereCommand);
