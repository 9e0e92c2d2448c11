#!/usr/bin/env -S node --max-semi-space-size=4 --expose-gc
import { main } from '../cli/main';
import { serveCommand } from '../commands/serve';

main(serveCommand);
