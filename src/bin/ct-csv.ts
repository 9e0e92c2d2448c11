#!/usr/bin/env node
import { main } from '../cli/main';
import { csvCommand } from '../commands/csv';

main(csvCommand);
