// Shell completion. The bash, zsh and fish scripts (completionScript) are thin: each hands the
// command line up to the cursor to `ct-catalog __complete LINE`, which prints whole-word
// candidates, one per line. Only this module and the catalogue load for it, not yargs.
import { catalog, eventNamesBySource } from './catalog';
import { fieldPaths } from './record-fields';
import { LOOKUP_ATTRIBUTE_KEYS } from './lookup-keys';

const COMMON = ['--help', '--strict'];
export const COMMAND_OPTIONS: Record<string, string[]> = {
  'ct-where': ['--input', '--invert-match', '--count', ...COMMON],
  'ct-explode': ['--keep-lookup', ...COMMON],
  'ct-csv': ['--fields', '--tsv', '--no-header', '--excel', '--no-escape-formulas', '--tz', ...COMMON],
  'ct-catalog': ['--source', '--json', '--long', '--help'],
  'ct-fetch': [
    '--start-time', '--end-time', '--lookup-attributes', '--event-category', '--max-items', '--page-size',
    '--starting-token', '--region', '--profile', '--endpoint-url', '--help',
  ],
};
const CATALOG_LISTS = ['event-sources', 'resource-types', 'event-names', 'attribute-keys', 'fields', 'regions', 'completion'];

/** Splits the line into words; a trailing space means the cursor starts a new, empty word. */
function words(line: string): string[] {
  const out = line.split(/\s+/).filter((w) => w !== '');
  if (/\s$/.test(line) || out.length === 0) out.push('');
  return out;
}

export function complete(line: string): string[] {
  const w = words(line);
  const command = (w[0] ?? '').split('/').pop() ?? '';
  const current = w[w.length - 1];
  const previous = w.length > 1 ? w[w.length - 2] : '';
  const options = COMMAND_OPTIONS[command];
  if (!options) return [];
  const starting = startingWith(current);
  const afterPrevious = valuesAfter(command, previous, current);
  if (afterPrevious) return afterPrevious;
  if (current.startsWith('-')) return starting(options);
  if (command === 'ct-where' && w.slice(1, -1).includes('--')) return [];
  if (command === 'ct-where') return fieldCompletions(current);
  if (command === 'ct-catalog' && w.length === 2) return starting(CATALOG_LISTS);
  if (command === 'ct-catalog' && w[1] === 'completion' && w.length === 3) return starting(['bash', 'zsh', 'fish']);
  return [];
}

const startingWith =
  (prefix: string) =>
  (list: Iterable<string>): string[] =>
    [...list].filter((c) => c.startsWith(prefix));

function valuesAfter(command: string, previous: string, current: string): string[] | undefined {
  const starting = startingWith(current);
  if (previous === '--region') return starting(catalog().regions.map((r) => r.value));
  if (previous === '--event-category') return starting(['insight']);
  if (command === 'ct-fetch' && (previous === '-a' || previous === '--lookup-attributes')) return attributeCompletions(current);
  if (command === 'ct-csv' && (previous === '-f' || previous === '--fields')) {
    const comma = current.lastIndexOf(',');
    const head = current.slice(0, comma + 1);
    return fieldCompletions(current.slice(comma + 1)).map((f) => head + f);
  }
  if (command === 'ct-catalog' && previous === '--source') return starting(Object.keys(eventNamesBySource()));
  if (command === 'ct-csv' && previous === '--tz') return starting(['UTC', 'local', 'Asia/Tokyo', 'Europe/London', 'America/New_York']);
  return undefined;
}

/** `Key=` first, then values: `EventSource=ec2.amazonaws.com`, `ReadOnly=true`... */
function attributeCompletions(current: string): string[] {
  const eq = current.indexOf('=');
  if (eq < 0) return LOOKUP_ATTRIBUTE_KEYS.map((k) => `${k.key}=`).filter((k) => k.startsWith(current));
  const key = current.slice(0, eq);
  const prefix = current.slice(eq + 1);
  const c = catalog();
  let values: string[] = [];
  if (key === 'EventSource') values = c.eventSources.map((v) => v.value).filter((v) => v.startsWith(prefix));
  else if (key === 'ResourceType') values = c.resourceTypes.map((v) => v.value).filter((v) => v.startsWith(prefix));
  else if (key === 'EventName') values = eventNamesStarting(prefix);
  else if (key === 'ReadOnly') values = ['true', 'false'].filter((v) => v.startsWith(prefix));
  return values.map((v) => `${key}=${v}`);
}

/** Event names of every source that start with `prefix`, once each, sorted. */
function eventNamesStarting(prefix: string): string[] {
  const found = new Set<string>();
  for (const names of Object.values(eventNamesBySource())) for (const n of names) if (n.startsWith(prefix)) found.add(n);
  return [...found].sort();
}

/** Field paths for a word that is still a field name (no operator typed yet). */
function fieldCompletions(current: string): string[] {
  if (/[=~<>!^$ ]/.test(current)) return [];
  const open = current.lastIndexOf('(') + 1;
  const head = current.slice(0, open);
  const word = current.slice(open);
  return fieldPaths().filter((f) => f.startsWith(word)).map((f) => head + f);
}

const COMMANDS = Object.keys(COMMAND_OPTIONS).join(' ');

export function completionScript(shell: string): string | undefined {
  switch (shell) {
    case 'bash':
      return `# ctpipe completion for bash: eval "$(ct-catalog completion bash)"
_ctpipe_complete() {
  local line="\${COMP_LINE:0:COMP_POINT}" cur="\${COMP_WORDS[COMP_CWORD]}" IFS=$'\\n'
  local raw="\${line##*[[:space:]]}"
  local split="\${raw%"$cur"}"
  local candidates=($(ct-catalog __complete "$line" 2>/dev/null))
  COMPREPLY=("\${candidates[@]#"$split"}")
  [[ \${#COMPREPLY[@]} -eq 1 && "\${COMPREPLY[0]}" == *= ]] && compopt -o nospace 2>/dev/null
  return 0
}
complete -o default -F _ctpipe_complete ${COMMANDS}
`;
    case 'zsh':
      return `# ctpipe completion for zsh: eval "$(ct-catalog completion zsh)" (after compinit)
_ctpipe_complete() {
  local -a candidates
  candidates=("\${(@f)$(ct-catalog __complete "\${BUFFER[1,CURSOR]}" 2>/dev/null)}")
  candidates=(\${candidates:#})
  if (( \${#candidates} )); then
    compadd -Q -S '' -- "\${candidates[@]}"
  else
    _files
  fi
}
compdef _ctpipe_complete ${COMMANDS}
`;
    case 'fish':
      return `# ctpipe completion for fish: ct-catalog completion fish | source
for cmd in ${COMMANDS}
  complete -c $cmd -f -a '(ct-catalog __complete (commandline -cp))'
end
`;
    default:
      return undefined;
  }
}
