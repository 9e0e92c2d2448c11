// The path that does not load yargs: `ct-where 'errorCode~Denied'`, `ct-csv -f a,b events.ndjson`,
// `ct-where -c errorCode~Denied`. Loading and running yargs costs some 20 ms of a command's start.
import type { Options } from 'yargs';
import type { OptionTable, PlainArguments } from './command';

/**
 * The options yargs would give for `argv`, when they are certain without it: positional
 * arguments, and the command's options each given once as `--name VALUE`, `--name=VALUE`, `-n
 * VALUE`, `--flag`, `-f` or `--no-flag` (a number option's value a number). Anything else (an
 * unknown option, `--`, a lone `-`, an option given twice, a value that starts with `-` or that
 * its option refuses, grouped short options, --help, --version) is left to yargs, undefined
 * here. A test checks that both give the same options.
 */
export function plainOptions(plain: PlainArguments, table: OptionTable, argv: readonly string[]): Record<string, unknown> | undefined {
  const options: Record<string, unknown> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '') return undefined;
    if (!arg.startsWith('-')) {
      positionals.push(arg);
      continue;
    }
    const option = optionOf(arg, table);
    if (!option || Object.hasOwn(options, option.name)) return undefined;
    const { spec } = option;
    let value: unknown;
    if (spec.type === 'boolean') {
      // yargs takes a `true` or `false` after a flag as its value.
      if (option.inline !== undefined || argv[i + 1] === 'true' || argv[i + 1] === 'false') return undefined;
      value = !option.negated;
    } else {
      const text = option.inline ?? argv[++i];
      if (option.negated || text === undefined || text === '' || text.startsWith('-')) return undefined;
      // yargs gives Number(text) for a number option, and NaN for what is none, which is refused after it.
      const given = spec.type === 'number' ? Number(text) : spec.type === 'string' ? text : undefined;
      if (given === undefined || (typeof given === 'number' && !Number.isFinite(given))) return undefined;
      if (spec.choices && !([] as unknown[]).concat(spec.choices).includes(given)) return undefined;
      try {
        value = spec.coerce ? spec.coerce(given) : given;
      } catch {
        return undefined; // yargs says what is wrong, with the usage hint
      }
    }
    options[option.name] = value;
  }
  if (positionals.length < plain.minimum) return undefined;
  for (const [key, spec] of Object.entries(table)) if (!(key in options) && spec.default !== undefined) options[key] = spec.default;
  options[plain.positional] = positionals;
  return options;
}

interface GivenOption {
  name: string;
  spec: Options;
  /** The value after `=`. */
  inline?: string;
  /** `--no-flag`. */
  negated: boolean;
}

/** The option an argument names (`--name`, `--name=VALUE`, `--no-name`, `-n`), if the table has it. */
function optionOf(arg: string, table: OptionTable): GivenOption | undefined {
  if (arg.startsWith('--')) {
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq < 0 ? undefined : arg.slice(eq + 1);
    if (Object.hasOwn(table, name)) return { name, spec: table[name], inline, negated: false };
    const flag = name.startsWith('no-') ? name.slice(3) : '';
    if (Object.hasOwn(table, flag) && table[flag].type === 'boolean') return { name: flag, spec: table[flag], inline, negated: true };
    return undefined;
  }
  if (arg.length !== 2) return undefined;
  const letter = arg[1];
  for (const [name, spec] of Object.entries(table)) {
    if (([] as unknown[]).concat(spec.alias ?? []).includes(letter)) return { name, spec, negated: false };
  }
  return undefined;
}
