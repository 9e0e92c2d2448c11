// Habits from other tools that are valid here but likely meant otherwise get a warning that says
// what to write (issue 14, section 3); what is meant as written stays quiet.
import { describe, expect, test } from 'vitest';
import { compileWhere } from '../../src/expr/where-program';

const hints = (expression: string): string[] => compileWhere([expression], { now: 0 }).hints;

describe('hints', () => {
  test.each([
    ['sourceIPAddress=10.0.0.0/8', "for the address block write 'sourceIPAddress in 10.0.0.0/8'"],
    ['sourceIPAddress=2001:db8::/32', "write 'sourceIPAddress in 2001:db8::/32'"],
    ['errorCode~/denied/i', "'errorCode~*denied'"],
    ['errorCode!~/denied/i', "'errorCode!~*denied'"],
  ])('%s', (expression, want) => {
    expect(hints(expression)).toHaveLength(1);
    expect(hints(expression)[0]).toContain(want);
  });

  test.each(['sourceIPAddress in 10.0.0.0/8', 'requestParameters.key~/logs/', 'errorCode~"/denied/i"', "requestParameters.cidrIp='10.0.0.0/8'", 'errorCode~Denied'])(
    '%s: no hint',
    (expression) => {
      expect(hints(expression)).toEqual([]);
    },
  );
});
