#!/usr/bin/env node
import { main } from '../cli/main';
import { catalogCommand } from '../commands/catalog';

main(catalogCommand);
