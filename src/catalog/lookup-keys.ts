// The eight LookupEvents attribute keys (service model enum LookupAttributeKey), what each
// means and an example value. Exact and case-sensitive, one per call.

export interface AttributeKey {
  key: string;
  meaning: string;
  example: string;
}

export const LOOKUP_ATTRIBUTE_KEYS: readonly AttributeKey[] = [
  { key: 'AccessKeyId', meaning: 'the access key that signed the call', example: 'AKIAIOSFODNN7EXAMPLE' },
  { key: 'EventId', meaning: 'one event by its ID (insight events too)', example: '654ccbc0-ba0d-486a-9076-dbf7274677a7' },
  { key: 'EventName', meaning: 'the API call or console action (insight events too)', example: 'ConsoleLogin' },
  { key: 'EventSource', meaning: 'the service, as <name>.amazonaws.com (insight events too)', example: 'signin.amazonaws.com' },
  { key: 'ReadOnly', meaning: "'true' for reads, 'false' for writes", example: 'false' },
  { key: 'ResourceName', meaning: 'a resource name or ARN the event names', example: 'arn:aws:iam::123456789012:role/Admin' },
  { key: 'ResourceType', meaning: 'the type of a resource the event names', example: 'AWS::IAM::Role' },
  { key: 'Username', meaning: 'the user or role session name', example: 'alice' },
];

export const ATTRIBUTE_KEYS: readonly string[] = LOOKUP_ATTRIBUTE_KEYS.map((k) => k.key);

/** The keys an Insights lookup accepts. */
export const INSIGHT_KEYS: readonly string[] = ['EventId', 'EventName', 'EventSource'];

/** Length as LookupEvents counts it: `_`, space, `,` and newline count two. */
export function attributeValueLength(value: string): number {
  let n = 0;
  for (const c of value) n += c === '_' || c === ' ' || c === ',' || c === '\n' ? 2 : 1;
  return n;
}
