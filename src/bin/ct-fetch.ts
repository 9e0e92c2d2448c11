#!/usr/bin/env node
import { main } from '../cli/main';
import { fetchCommand } from '../commands/fetch';

main(fetchCommand);
