import { describe, expect, test } from 'vitest';
import { unknownValueWarning } from '../../src/catalog/check-value';

describe('lookup values the catalogue does not know', () => {
  test('a near miss gets the right value', () => {
    expect(unknownValueWarning('EventSource', 'ec2.amazonaws.co')).toContain("did you mean 'ec2.amazonaws.com'");
  });
  test('a bare service name gets its event source', () => {
    expect(unknownValueWarning('EventSource', 's3')).toContain("did you mean 's3.amazonaws.com'?");
  });
  test('a resource type in the wrong case is caught', () => {
    expect(unknownValueWarning('ResourceType', 'AWS::EC2::instance')).toContain("'AWS::EC2::Instance'");
  });
  test('a service\'s endpoint or IAM prefix gets the value AWS writes, saying which it is', () => {
    expect(unknownValueWarning('EventSource', 'email.amazonaws.com')).toBe(
      "warning: EventSource 'email.amazonaws.com' is the service's endpoint prefix, not the value AWS writes in eventSource; did you mean 'ses.amazonaws.com'?",
    );
    expect(unknownValueWarning('EventSource', 'cloudwatch.amazonaws.com')).toBe(
      "warning: EventSource 'cloudwatch.amazonaws.com' is the service's IAM prefix, not the value AWS writes in eventSource; did you mean 'monitoring.amazonaws.com'?",
    );
  });
  test('CloudFormation\'s spelling of a type event history spells its own way is told', () => {
    expect(unknownValueWarning('ResourceType', 'AWS::IAM::SAMLProvider')).toContain("event history writes 'AWS::IAM::SamlProvider'");
    expect(unknownValueWarning('ResourceType', 'AWS::IAM::SamlProvider')).toBeUndefined();
  });
  test('known values and other keys pass silently', () => {
    expect(unknownValueWarning('EventSource', 'signin.amazonaws.com')).toBeUndefined();
    expect(unknownValueWarning('ResourceType', 'AWS::STS::AssumedRole')).toBeUndefined();
    expect(unknownValueWarning('Username', 'anything')).toBeUndefined();
  });
});
