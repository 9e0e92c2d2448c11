// Completion as a user meets it: a real bash, zsh and fish in tmux, text typed, Tab pressed,
// the screen read back. Needs tmux, zsh and fish (.ci/run installs them).
import { afterAll, describe, expect, test } from 'vitest';
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { absent, binDir, lines, needs, sh, tempDir } from '../helpers';

const PATH_DIR = binDir();
const sessions: string[] = [];

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

const SHELLS: Record<string, { start: string[]; setup: string }> = {
  bash: { start: ['bash', '--norc', '--noprofile'], setup: `PS1='$ '; eval "$(ct-catalog completion bash)"` },
  zsh: { start: ['zsh', '-f'], setup: `PROMPT='$ '; autoload -U compinit && compinit -u; eval "$(ct-catalog completion zsh)"` },
  fish: { start: ['fish', '--no-config'], setup: `function fish_prompt; echo '$ '; end; ct-catalog completion fish | source` },
};

async function waitFor(session: string, want: string, ms = 8000): Promise<string> {
  const end = Date.now() + ms;
  let screen = '';
  while (Date.now() < end) {
    screen = tmux('capture-pane', '-p', '-t', session);
    if (screen.includes(want)) return screen;
    await new Promise((r) => setTimeout(r, 100));
  }
  return screen;
}

/** Starts the shell, types `typed`, presses Tab, returns the screen once `want` shows (or not). */
async function completeIn(shell: string, typed: string, want: string): Promise<string> {
  const session = `ctpipe-${shell}-${process.pid}-${sessions.length}`;
  sessions.push(session);
  const { start, setup } = SHELLS[shell];
  tmux('new-session', '-d', '-s', session, '-x', '200', '-y', '30', 'env', `PATH=${PATH_DIR}:${process.env.PATH}`, ...start);
  tmux('send-keys', '-t', session, setup, 'Enter');
  await waitFor(session, '$ ', 5000);
  tmux('send-keys', '-t', session, 'clear', 'Enter');
  await new Promise((r) => setTimeout(r, 300));
  tmux('send-keys', '-t', session, '-l', typed);
  tmux('send-keys', '-t', session, 'Tab');
  return waitFor(session, want);
}

afterAll(() => {
  for (const s of sessions) {
    try {
      tmux('kill-session', '-t', s);
    } catch {
      // already gone
    }
  }
});

const CASES: [string, string][] = [
  ['ct-fetch -a EventSour', 'ct-fetch -a EventSource='],
  ['ct-fetch -a EventSource=signi', 'ct-fetch -a EventSource=signin.amazonaws.com'],
  ['ct-fetch -a ResourceType=AWS::STS::Assu', 'ct-fetch -a ResourceType=AWS::STS::AssumedRole'],
  ['ct-fetch -a ReadOnly=tr', 'ct-fetch -a ReadOnly=true'],
  ['ct-fetch -a EventName=ConsoleLog', 'ct-fetch -a EventName=ConsoleLogin'],
  ['ct-fetch --region me-cen', 'ct-fetch --region me-central-1'],
  ['ct-where --inv', 'ct-where --invert-match'],
  ['ct-where errorMes', 'ct-where errorMessage'],
  ["ct-where 'errorMes", "ct-where 'errorMessage"],
  ['ct-where -i READ', 'ct-where -i README.md'],
  ['ct-csv -f eventTime,sourceIP', 'ct-csv -f eventTime,sourceIPAddress'],
  ['ct-count errorCode,sourceIP', 'ct-count errorCode,sourceIPAddress'],
  ['ct-show -f eventName,sourceIP', 'ct-show -f eventName,sourceIPAddress'],
  ['ct-show --col', 'ct-show --color'],
  ['ct-report --by errorC', 'ct-report --by errorCode'],
  ['ct-catalog resource-t', 'ct-catalog resource-types'],
];

describe.each(Object.keys(SHELLS))('completion in a real %s', (shell) => {
  test.skipIf(absent('tmux') || absent(shell)).each(CASES)(`%s<Tab> -> %s ${needs('tmux')} ${needs(shell)}`, async (typed, want) => {
    const screen = await completeIn(shell, typed, want);
    expect(screen).toContain(want);
  }, 20000);
});

describe('the completion scripts', () => {
  test('name every option the commands have', async () => {
    const { allCommands } = await import('../../src/commands/all');
    for (const command of allCommands) {
      const help = (await sh(`${command.name} --help`)).stdout;
      for (const option of Object.keys(command.optionTable)) expect(help, `${command.name} --${option}`).toContain(`--${option}`);
    }
  });

  test('answer Tab without node: only awk is on the PATH', async () => {
    const script = (await sh('ct-catalog completion bash')).stdout;
    const onlyAwk = tempDir('ctpipe-path-');
    symlinkSync(execFileSync('sh', ['-c', 'command -v awk'], { encoding: 'utf8' }).trim(), path.join(onlyAwk, 'awk'));
    const body = `${script}
COMP_LINE='ct-fetch -a EventSource=signi'; COMP_POINT=\${#COMP_LINE}; COMP_WORDS=(ct-fetch -a EventSource = signi); COMP_CWORD=4
_ctpipe_complete; printf '%s\\n' "\${COMPREPLY[@]}"; command -v node || echo 'no node'`;
    const out = execFileSync('/bin/bash', ['--norc', '-c', body], { env: { PATH: onlyAwk }, encoding: 'utf8' });
    expect(out).toBe('signin.amazonaws.com\nno node\n');
  });

  test('an unknown shell is a usage error', async () => {
    const r = await sh('ct-catalog completion tcsh');
    expect(r.code).toBe(2);
    expect(lines(r.stderr)[0]).toContain('name a shell: bash, zsh or fish');
  });
});
