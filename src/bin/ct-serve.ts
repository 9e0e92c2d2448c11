#!/usr/bin/env node
import { main } from '../cli/main';
import { serveCommand } from '../commands/serve';

main(serveCommand);
