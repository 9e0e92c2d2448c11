#!/usr/bin/env node
import { main } from '../cli/main';
import { explodeCommand } from '../commands/explode';

main(explodeCommand);
