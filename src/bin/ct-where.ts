#!/usr/bin/env node
import { main } from '../cli/main';
import { whereCommand } from '../commands/where';

main(whereCommand);
