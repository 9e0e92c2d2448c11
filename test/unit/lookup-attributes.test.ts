// --lookup-attributes as the AWS CLI reads it, and as -a KEY=VALUE.
import { describe, expect, test } from 'vitest';
import { parseAttribute, parseTimeOption } from '../../src/fetch/lookup-options';

describe('--lookup-attributes', () => {
  test.each([
    ['EventName=ConsoleLogin', 'EventName', 'ConsoleLogin'],
    ['AttributeKey=EventName,AttributeValue=ConsoleLogin', 'EventName', 'ConsoleLogin'],
    ['AttributeValue=ConsoleLogin,AttributeKey=EventName', 'EventName', 'ConsoleLogin'],
    ['AttributeKey=ResourceName,AttributeValue="a,b"', 'ResourceName', 'a,b'],
    ["AttributeKey='Username',AttributeValue='alice,bob'", 'Username', 'alice,bob'],
    ['[{"AttributeKey":"EventSource","AttributeValue":"s3.amazonaws.com"}]', 'EventSource', 's3.amazonaws.com'],
    ['{"AttributeValue":"i-0abc","AttributeKey":"ResourceName"}', 'ResourceName', 'i-0abc'],
    ['ResourceName=a=b', 'ResourceName', 'a=b'],
  ])('%s', (text, key, value) => {
    expect(parseAttribute(text, [])).toEqual({ key, value });
  });

  test.each([
    ['[{"AttributeKey":"EventName","AttributeValue":"a"},{"AttributeKey":"Username","AttributeValue":"b"}]', 'one lookup attribute per call'],
    ['[{"AttributeKey":"EventName"}]', 'expected KEY=VALUE'],
    ['[{"AttributeKey":', 'not valid JSON'],
    ['AttributeKey=EventName,AttributeValue="a,b', 'the quote after AttributeValue= is not closed'],
    ['AttributeKey=EventName,Value=x', "unknown member 'Value'"],
    ['AttributeKey=EventName,AttributeKey=Username,AttributeValue=x', 'AttributeKey given twice'],
  ])('%s is refused: %s', (text, message) => {
    expect(() => parseAttribute(text, [])).toThrow(message);
  });
});

describe('--start-time and --end-time in the AWS CLI date forms', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  test.each([
    ['01-27-2015', '2015-01-27T00:00:00'],
    ['01/27/2015, 13:16', '2015-01-27T13:16:00'],
    ['2015-01-27, 01:16 PM', '2015-01-27T13:16:00'],
    ['2015-01-27, 12:05 AM', '2015-01-27T00:05:00'],
    ['1/2/2015 9:05:07 am', '2015-01-02T09:05:07'],
  ])('%s is the local time %s, as the AWS CLI reads it', (text, local) => {
    expect(parseTimeOption(text, '--start-time', now)).toBe(new Date(local).getTime());
  });

  test('epoch seconds, and a day that is not on the calendar is refused', () => {
    expect(parseTimeOption('1422316800', '--start-time', now)).toBe(Date.parse('2015-01-27T00:00:00Z'));
    expect(() => parseTimeOption('02/30/2015', '--start-time', now)).toThrow("cannot read '02/30/2015' as a time");
    expect(() => parseTimeOption('2015-01-27, 13:16 PM', '--start-time', now)).toThrow('cannot read');
  });
});
