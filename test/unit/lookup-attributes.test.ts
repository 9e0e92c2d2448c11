// --lookup-attributes as the AWS CLI reads it, and as -a KEY=VALUE.
import { describe, expect, test } from 'vitest';
import { parseAttribute } from '../../src/fetch/lookup-options';

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
