// The path that does not load yargs: `ct-where 'errorCode~Denied'`, `ct-csv events.ndjson`.
import type { OptionTable, PlainArguments } from './command';

/**
 * When no argument starts with `-`, yargs would only collect them and fill in the defaults, so
 * that is done here and yargs is not loaded at all (see the README's start-up figures). A test
 * checks that both give the same options.
 */
export function plainOptions(plain: PlainArguments, table: OptionTable, argv: readonly string[]): Record<string, unknown> | undefined {
  if (argv.length < plain.minimum || argv.some((a) => a === '' || a.startsWith('-'))) return undefined;
  const options: Record<string, unknown> = { [plain.positional]: [...argv] };
  for (const [key, spec] of Object.entries(table)) if (spec.default !== undefined) options[key] = spec.default;
  return options;
}
