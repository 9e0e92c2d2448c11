// ct-report: the shim; the command is src/commands/report.ts, the shebang is declared in scripts/post-build.mjs.
import { main } from '../cli/main';
import { reportCommand } from '../commands/report';

main(reportCommand);
