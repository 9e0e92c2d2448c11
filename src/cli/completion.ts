// Shell completion. Pressing Tab must not wait for node to start, so the rules live in one small
// awk program. `ct-catalog completion SHELL` embeds it in a bash, zsh or fish script; it reads
// the command line up to the cursor from $CTPIPE_LINE and filters the plain lists that `npm run
// catalog` writes to data/completion/. The options it offers come from the commands' option
// tables (written at build time by scripts/post-build.mjs). `complete(line)` runs the same
// program, for `ct-catalog __complete LINE` and the tests.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LOOKUP_ATTRIBUTE_KEYS } from '../catalog/lookup-keys';
import type { OptionTable } from './command';

/** Every command's long options as Tab offers them (made at build time by tabOptions). */
function commandOptions(): Record<string, string[]> {
  const built = path.join(__dirname, '..', 'completion-options.json');
  const file = existsSync(built) ? built : path.join(__dirname, '..', '..', 'dist', 'completion-options.json');
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string[]>;
}

/** The long options of an option table, and --help and --version: a boolean on by default as --no-X too. */
export function tabOptions(table: OptionTable): string[] {
  const out: string[] = [];
  for (const [name, spec] of Object.entries(table)) {
    out.push(`--${name}`);
    if (spec.type === 'boolean' && spec.default === true) out.push(`--no-${name}`);
  }
  return [...out, '--help', '--version'];
}

/** What `ct-catalog LIST` takes (its yargs choices, and what Tab offers after `ct-catalog`). */
export const CATALOG_LISTS = ['event-sources', 'resource-types', 'event-names', 'attribute-keys', 'fields', 'regions', 'completion'] as const;
const TIME_ZONES = ['UTC', 'local', 'Asia/Tokyo', 'Europe/London', 'America/New_York'];
/** Where `npm run catalog` writes the lists the program reads (one value per line). */
export const COMPLETION_DATA = path.resolve(__dirname, '../../data/completion');

const awkString = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`)}"`;
const awkList = (list: readonly string[]): string => awkString(list.join(' '));

/**
 * The completion rules as a POSIX awk program (mawk, gawk, BSD awk). It prints whole-word
 * candidates, one per line: options after `-`, attribute keys and catalogue values after
 * `-a`, Regions after `--region`, field paths in ct-where expressions, ct-csv and ct-show -f lists,
 * ct-count's FIELDS and --distinct and ct-report's --by.
 */
export function completionProgram(dataDir = COMPLETION_DATA): string {
  const options = Object.entries(commandOptions()).map(([c, o]) => `OPT[${awkString(c)}] = ${awkList(o)}`).join('; ');
  const keys = awkList(LOOKUP_ATTRIBUTE_KEYS.map((k) => `${k.key}=`));
  return `
function starts(s, p) { return substr(s, 1, length(p)) == p }
function last(s, c,   i) { for (i = length(s); i > 0; i--) if (substr(s, i, 1) == c) return i; return 0 }
function fromList(list, p, head,   a, n, i) { n = split(list, a, " "); for (i = 1; i <= n; i++) if (starts(a[i], p)) print head a[i] }
function fromFile(name, p, head,   f, v) { f = DATA "/" name ".txt"; while ((getline v < f) > 0) if (starts(v, p)) print head v; close(f) }
function fields(cur, head,   open) {
  if (cur ~ /[=~<>!^$ ]/) return
  open = last(cur, "(")
  fromFile("fields", substr(cur, open + 1), head substr(cur, 1, open))
}
function attribute(cur,   eq, key, p) {
  eq = index(cur, "=")
  if (eq == 0) { fromList(${keys}, cur, ""); return }
  key = substr(cur, 1, eq - 1); p = substr(cur, eq + 1)
  if (key == "EventSource") fromFile("event-sources", p, key "=")
  else if (key == "ResourceType") fromFile("resource-types", p, key "=")
  else if (key == "EventName") fromFile("event-names", p, key "=")
  else if (key == "ReadOnly") fromList("true false", p, key "=")
}
BEGIN {
  DATA = ${awkString(dataDir)}; ${options}
  line = ENVIRON["CTPIPE_LINE"]
  n = split(line, w)
  if (n == 0 || line ~ /[ \\t]$/) w[++n] = ""
  cmd = w[1]; sub(/.*\\//, "", cmd)
  cur = w[n]; prev = n > 1 ? w[n - 1] : ""
  if (!(cmd in OPT)) exit
  # An expression begun with a quote: complete what follows it. bash and zsh replace the word
  # with the quote kept; fish matches the word without its quote.
  q = ""
  if (cur ~ /^['"]/) { q = substr(cur, 1, 1); cur = substr(cur, 2); if (ENVIRON["CTPIPE_SHELL"] == "fish") q = "" }
  # A file goes after -i: nothing from here, so the shell offers files.
  if (cmd == "ct-where" && (prev == "-i" || prev == "--input")) exit
  if (prev == "--region") fromFile("regions", cur, "")
  else if (prev == "--event-category") fromList("insight", cur, "")
  else if (cmd == "ct-fetch" && (prev == "-a" || prev == "--lookup-attributes")) attribute(cur)
  else if ((cmd == "ct-csv" || cmd == "ct-show") && (prev == "-f" || prev == "--fields")) fields(substr(cur, last(cur, ",") + 1), substr(cur, 1, last(cur, ",")))
  else if (cmd == "ct-catalog" && prev == "--source") fromFile("event-sources", cur, "")
  else if (cmd == "ct-show" && prev == "--color") fromList("auto always never", cur, "")
  else if ((cmd == "ct-csv" || cmd == "ct-show") && prev == "--tz") fromList(${awkList(TIME_ZONES)}, cur, "")
  else if ((cmd == "ct-count" && prev == "--distinct") || (cmd == "ct-report" && prev == "--by")) fields(cur, "")
  else if (cur ~ /^-/) fromList(OPT[cmd], cur, "")
  else if (cmd == "ct-count" && n == 2) fields(substr(cur, last(cur, ",") + 1), substr(cur, 1, last(cur, ",")))
  else if (cmd == "ct-where") { for (i = 2; i < n; i++) if (w[i] == "--") exit; fields(cur, q) }
  else if (cmd == "ct-catalog" && n == 2) fromList(${awkList(CATALOG_LISTS)}, cur, "")
  else if (cmd == "ct-catalog" && n == 3 && w[2] == "completion") fromList("bash zsh fish", cur, "")
}`;
}

/** The candidates for a command line that ends at the cursor, as the shells see them. */
export function complete(line: string, dataDir = COMPLETION_DATA): string[] {
  const r = spawnSync('awk', [completionProgram(dataDir)], { env: { ...process.env, CTPIPE_LINE: line }, encoding: 'utf8' });
  if (r.error) throw r.error;
  return r.stdout.split('\n').filter((c) => c !== '');
}

/** Quoted for bash and zsh: single quotes, with ' written as '\''. */
const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
/** Quoted for fish: single quotes, where only \\ and \' are escapes. */
const fishQuote = (s: string): string => `'${s.replace(/[\\']/g, (c) => `\\${c}`)}'`;

export function completionScript(shell: string, dataDir = COMPLETION_DATA): string | undefined {
  const program = completionProgram(dataDir);
  const COMMANDS = Object.keys(commandOptions()).join(' ');
  switch (shell) {
    case 'bash':
      return `# ctpipe completion for bash: eval "$(ct-catalog completion bash)"
_ctpipe_awk=${shQuote(program)}
_ctpipe_complete() {
  local line="\${COMP_LINE:0:COMP_POINT}" cur="\${COMP_WORDS[COMP_CWORD]}" IFS=$'\\n'
  local raw="\${line##*[[:space:]]}"
  local split="\${raw%"$cur"}"
  local candidates=($(CTPIPE_LINE="$line" awk "$_ctpipe_awk" 2>/dev/null))
  COMPREPLY=("\${candidates[@]#"$split"}")
  [[ \${#COMPREPLY[@]} -eq 1 && "\${COMPREPLY[0]}" == *= ]] && compopt -o nospace 2>/dev/null
  return 0
}
complete -o default -F _ctpipe_complete ${COMMANDS}
`;
    case 'zsh':
      return `# ctpipe completion for zsh: eval "$(ct-catalog completion zsh)" (after compinit)
_ctpipe_awk=${shQuote(program)}
_ctpipe_complete() {
  local -a candidates
  candidates=("\${(@f)$(CTPIPE_LINE="\${BUFFER[1,CURSOR]}" awk "$_ctpipe_awk" 2>/dev/null)}")
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
function __ctpipe_complete
  set -lx CTPIPE_LINE (commandline -cp | string collect)
  set -lx CTPIPE_SHELL fish
  awk ${fishQuote(program)} 2>/dev/null
end
for cmd in ${COMMANDS}
  complete -c $cmd -f -a '(__ctpipe_complete)'
end
# ct-where -i takes a file.
complete -c ct-where -s i -l input -r -F
`;
    default:
      return undefined;
  }
}
