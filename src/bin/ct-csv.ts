#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
import { main } from '../cli/main';
import { csvCommand } from '../commands/csv';

main(csvCommand);
