// ct-csv: the shim; the command is src/commands/csv.ts, the shebang is declared in scripts/post-build.mjs.
import { main } from '../cli/main';
import { csvCommand } from '../commands/csv';

main(csvCommand);
