#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node --max-semi-space-size=4 --expose-gc
import { main } from '../cli/main';
import { csvCommand } from '../commands/csv';

main(csvCommand);
