// How argv becomes options (src/cli/main.ts over each command's option table).
import { describe, expect, test } from 'vitest';
import yargs from 'yargs';
import { commandParser } from '../../src/cli/main';
import { fetchCommand } from '../../src/commands/fetch';

describe('ct-fetch times', () => {
  test.each([['-1d'], ['-2h'], ['2h'], ['now']])('--start-time %s is the value, not options (issue 14)', async (value) => {
    for (const argv of [['--start-time', value], [`--start-time=${value}`], ['--end-time', value]]) {
      const options = (await commandParser(fetchCommand, argv, yargs(argv)).parseAsync(argv)) as Record<string, unknown>;
      expect(options[argv[0].replace(/^--|=.*$/g, '')]).toBe(value);
    }
  });
});
