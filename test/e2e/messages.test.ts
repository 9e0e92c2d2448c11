// What reaches a terminal on stderr is text we wrote: control bytes from bad input are shown
// escaped (issue 13, item 3), whatever message quotes them.
import { describe, expect, test } from 'vitest';
import { absent, needs, sh } from '../helpers';

describe('messages', () => {
  test('NUL, escape sequences and other control bytes of a bad line are escaped on stderr', async () => {
    const r = await sh(`printf 'x\\033[31mred\\000z\\r\\302\\233m\\n' | ct-where eventName=x`);
    expect(r.stderr).toBe('ct-where: stdin:1: invalid JSON: Unexpected token \'x\', "x\\x1b[31mred\\x00z\\r\\x9bm" is not valid JSON\n');
    expect(r.code).toBe(1);
  });

  test('an expression error keeps its own line breaks and escapes the control bytes it quotes', async () => {
    const r = await sh(`ct-where "$(printf 'eventName \\033[2J')"`);
    expect(r.stderr).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(r.stderr.split('\n').length).toBeGreaterThan(2);
  });
});

describe('reading a terminal (issue 14, section 2)', () => {
  test.skipIf(absent('script'))(`a command left to read a terminal says so, once, on stderr ${needs('script', 'bsdutils')}`, async () => {
    // script(1) gives the command a terminal for stdin; timeout ends the wait.
    const r = await sh(`timeout 3 script -qec 'ct-where eventName=x' /dev/null < /dev/null; true`);
    const said = r.stdout.split('reading events from the terminal').length - 1;
    expect(said).toBe(1);
  });

  test('from a file, /dev/null or a pipe it says nothing', async () => {
    for (const script of ['ct-where eventName=x < /dev/null', "echo '{}' | ct-where eventName=x"]) {
      expect((await sh(script)).stderr, script).toBe('');
    }
  });
});
