// Every command, for what is made from all their option tables (shell completion, tests).
import type { Command } from '../cli/command';
import { catalogCommand } from './catalog';
import { countCommand } from './count';
import { csvCommand } from './csv';
import { explodeCommand } from './explode';
import { fetchCommand } from './fetch';
import { reportCommand } from './report';
import { serveCommand } from './serve';
import { showCommand } from './show';
import { whereCommand } from './where';

export const allCommands: readonly Command<never>[] = [
  fetchCommand, explodeCommand, whereCommand, csvCommand, countCommand, showCommand, reportCommand, catalogCommand, serveCommand,
] as readonly Command<never>[];
