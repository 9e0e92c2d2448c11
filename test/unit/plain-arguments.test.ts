// ct-where, ct-explode and ct-csv skip yargs when the arguments are positional or plain options
// (plainOptions). The options must be exactly those yargs would give.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Command } from '../../src/cli/command';
import { commandParser } from '../../src/cli/main';
import { plainOptions } from '../../src/cli/plain-args';
import yargs from 'yargs';
import { whereCommand } from '../../src/commands/where';
import { explodeCommand } from '../../src/commands/explode';
import { csvCommand } from '../../src/commands/csv';
import { countCommand } from '../../src/commands/count';
import { reportCommand } from '../../src/commands/report';
import { serveCommand } from '../../src/commands/serve';
import { showCommand } from '../../src/commands/show';

const CASES: [Command<unknown>, string[][]][] = [
  [whereCommand, [['errorCode~Denied'], ['eventName=ConsoleLogin', 'responseElements.ConsoleLogin=Failure'], ['a b', 'x=1']]],
  [explodeCommand, [[], ['events.ndjson'], ['a.json.gz', 'AWSLogs/', '2024']]],
  [csvCommand, [[], ['events.ndjson', 'more.ndjson']]],
];

/** The options yargs gives for argv, or undefined when it refuses them. */
async function yargsOptions(command: Command<unknown>, argv: string[]): Promise<Record<string, unknown> | undefined> {
  try {
    return await commandParser(command, argv, yargs(argv)).parseAsync(argv);
  } catch {
    return undefined;
  }
}

/** The plain options are yargs' for every option of the table and the positionals. */
function expectSame(command: Command<unknown>, plain: Record<string, unknown>, fromYargs: Record<string, unknown>, argv: string[]): void {
  const { positional } = command.plain!;
  // Commands read positionals through String() (yargs makes `2024` a number).
  expect(plain[positional], JSON.stringify(argv)).toEqual(((fromYargs[positional] as unknown[]) ?? []).map(String));
  for (const key of Object.keys(command.optionTable)) expect(plain[key], `${key} in ${JSON.stringify(argv)}`).toEqual(fromYargs[key]);
}

describe('positional-only arguments', () => {
  test.each(CASES.flatMap(([command, argvs]) => argvs.map((argv) => [command.name, command, argv] as const)))(
    '%s %j: the same options as yargs gives',
    async (_, command, argv) => {
      const plain = plainOptions(command.plain!, command.optionTable, argv);
      expect(plain).toBeDefined();
      expectSame(command, plain!, (await yargsOptions(command, argv))!, argv);
    },
  );
});

describe('options given plainly', () => {
  test.each([
    [whereCommand, ['-c', 'errorCode~Denied']],
    [whereCommand, ['--count', '-v', 'errorCode~Denied', 'events.ndjson', '--region', 'us-east-1,eu-west-1']],
    [whereCommand, ['-e', 'errorCode~Denied', 'x=1', '--max-line=64M', '--strict']],
    [whereCommand, ['x=1', '--start-time', '2024-07-01', '--end-time=2024-07-02T00:00:00Z', '--account', '123456789012']],
    [csvCommand, ['-f', 'eventTime,eventSource,eventName,awsRegion,sourceIPAddress,errorCode']],
    [csvCommand, ['--fields=eventTime', '--excel', '--no-header', '--tsv', '--tz', 'Asia/Tokyo', 'a.ndjson']],
    [csvCommand, ['--no-escape-formulas', 'a.ndjson', '--max-line', '512K']],
    [explodeCommand, ['--keep-lookup', 'AWSLogs/', '--region', 'eu-west-1']],
  ] as const)('%#: %j gives what yargs gives', async (command, given) => {
    const argv = [...given];
    const plain = plainOptions(command.plain!, command.optionTable, argv);
    expect(plain).toBeDefined();
    expectSame(command, plain!, (await yargsOptions(command, argv))!, argv);
  });

  test('generated arguments: when not left to yargs, exactly what yargs gives', async () => {
    // Each command's options in every form, good and bad values, positionals, and what only
    // yargs handles (grouped flags, unknown options, --, a lone dash, --help).
    const forms = (command: Command<unknown>): string[][] =>
      Object.entries(command.optionTable).flatMap(([name, spec]) => {
        const aliases = ([] as string[]).concat((spec.alias as string | string[] | undefined) ?? []).map((a) => `-${a}`);
        if (spec.type === 'boolean') return [[`--${name}`], [`--no-${name}`], ...aliases.map((a) => [a]), [`--${name}=false`], [`--${name}`, 'true']];
        return [`--${name}`, ...aliases].flatMap((flag) => VALUES.map((v) => [flag, v])).concat(VALUES.map((v) => [`--${name}=${v}`]), [[`--${name}`]]);
      });
    const VALUES = ['eventTime,errorCode', 'x', '2024-07-01', '16M', 'nope', '-1d', '', 'us-east-1', '123456789012', 'Asia/Tokyo', '5', '0.5', '1e3', '0x10', ' 7', 'always', 'AKID:SECRET'];
    const ODD = [['-'], ['--'], ['-cv'], ['--unknown'], ['--help'], ['--version'], ['-x'], ['--max-lines', '1']];
    const POSITIONALS = [['errorCode~Denied'], ['events.ndjson'], ['2024'], ['a b'], ['readOnly=true'], ['']];
    let plainly = 0;
    let withOptions = 0;
    // Every command with a plain path.
    for (const command of [whereCommand, csvCommand, explodeCommand, countCommand, reportCommand, serveCommand, showCommand] as Command<unknown>[]) {
      const token = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...forms(command)) }, { weight: 3, arbitrary: fc.constantFrom(...POSITIONALS) }, fc.constantFrom(...ODD));
      await fc.assert(
        fc.asyncProperty(fc.array(token, { maxLength: 5 }), async (tokens) => {
          const argv = tokens.flat();
          const plain = plainOptions(command.plain!, command.optionTable, argv);
          if (!plain) return;
          // What yargs lets through and the yargs path refuses after it (NaN) is never taken here.
          for (const [name, spec] of Object.entries(command.optionTable)) {
            if (spec.type === 'number' && plain[name] !== undefined) expect(Number.isFinite(plain[name]), `${name} in ${JSON.stringify(argv)}`).toBe(true);
          }
          const fromYargs = await yargsOptions(command, argv);
          expect(fromYargs, JSON.stringify(argv)).toBeDefined();
          expectSame(command, plain, fromYargs!, argv);
          plainly++;
          if (argv.some((a) => a.startsWith('-'))) withOptions++;
        }),
        { numRuns: 400 },
      );
    }
    // Not vacuous: many of the calls were taken plainly, options and all.
    expect(plainly).toBeGreaterThan(500);
    expect(withOptions).toBeGreaterThan(250);
  }, 60000);

  test('what only yargs handles goes to yargs', () => {
    const where = whereCommand.plain!;
    const table = whereCommand.optionTable;
    for (const argv of [['-cv', 'x=1'], ['-c', 'true', 'x=1'], ['--count=true', 'x=1'], ['-c', '-c', 'x=1'], ['--unknown', 'x=1'], ['x=1', '--region'], ['x=1', '--region', '-1'], ['x=1', '--max-line', 'nope'], ['--no-region', 'x', 'x=1'], ['-c']]) {
      expect(plainOptions(where, table, argv), JSON.stringify(argv)).toBeUndefined();
    }
    expect(plainOptions(where, table, ['x=1', '--', 'f'])).toBeUndefined();
    expect(plainOptions(where, whereCommand.optionTable, ['x=1', ''])).toBeUndefined();
    expect(plainOptions(where, whereCommand.optionTable, [])).toBeUndefined();
    expect(plainOptions(explodeCommand.plain!, explodeCommand.optionTable, ['-'])).toBeUndefined();
    expect(plainOptions(csvCommand.plain!, csvCommand.optionTable, ['--help'])).toBeUndefined();
  });
});
