// ct-where, ct-explode and ct-csv skip yargs when every argument is positional (plainOptions).
// The options must be exactly those yargs would give.
import { describe, expect, test } from 'vitest';
import type { Command } from '../../src/cli/command';
import { commandParser } from '../../src/cli/main';
import { plainOptions } from '../../src/cli/plain-args';
import yargs from 'yargs';
import { whereCommand } from '../../src/commands/where';
import { explodeCommand } from '../../src/commands/explode';
import { csvCommand } from '../../src/commands/csv';

const CASES: [Command<unknown>, string[][]][] = [
  [whereCommand, [['errorCode~Denied'], ['eventName=ConsoleLogin', 'responseElements.ConsoleLogin=Failure'], ['a b', 'x=1']]],
  [explodeCommand, [[], ['events.ndjson'], ['a.json.gz', 'AWSLogs/', '2024']]],
  [csvCommand, [[], ['events.ndjson', 'more.ndjson']]],
];

describe('positional-only arguments', () => {
  test.each(CASES.flatMap(([command, argvs]) => argvs.map((argv) => [command.name, command, argv] as const)))(
    '%s %j: the same options as yargs gives',
    async (_, command, argv) => {
      const plain = plainOptions(command.plain!, command.optionTable, argv);
      expect(plain).toBeDefined();
      const fromYargs = (await commandParser(command, argv, yargs(argv)).parseAsync(argv)) as Record<string, unknown>;
      const { positional } = command.plain!;
      const options = command.optionTable;
      // Commands read positionals through String() (yargs makes `2024` a number).
      expect(plain![positional]).toEqual(((fromYargs[positional] as unknown[]) ?? []).map(String));
      for (const key of Object.keys(options)) expect(plain![key], key).toEqual(fromYargs[key]);
    },
  );

  test('any option, a lone dash, an empty argument or too few arguments go to yargs', () => {
    const where = whereCommand.plain!;
    expect(plainOptions(where, whereCommand.optionTable, ['-c', 'x=1'])).toBeUndefined();
    expect(plainOptions(where, whereCommand.optionTable, ['x=1', '--', 'f'])).toBeUndefined();
    expect(plainOptions(where, whereCommand.optionTable, ['x=1', ''])).toBeUndefined();
    expect(plainOptions(where, whereCommand.optionTable, [])).toBeUndefined();
    expect(plainOptions(explodeCommand.plain!, explodeCommand.optionTable, ['-'])).toBeUndefined();
    expect(plainOptions(csvCommand.plain!, csvCommand.optionTable, ['--help'])).toBeUndefined();
  });
});
