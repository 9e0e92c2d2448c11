#!/usr/bin/env -S -u NODE_EXTRA_CA_CERTS node
import { main } from '../cli/main';
import { serveCommand } from '../commands/serve';

main(serveCommand);
