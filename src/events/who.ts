// The computed field `user`: who acted, as one short name, from a LookupEvents item or a record.
import { ownValue } from './field-path';

/** `user`: a field no record has, computed as the best short name for who acted. */
export const VIRTUAL_USER = 'user';

/** `item` is the event as read; `record()` its CloudTrail record (the item's parsed CloudTrailEvent). */
export function bestUserName(item: unknown, record: () => Record<string, unknown>): string | undefined {
  const username = ownValue(item, 'Username');
  if (typeof username === 'string' && username) return username;
  const identity = ownValue(record(), 'userIdentity');
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
  const type = str(ownValue(identity, 'type'));
  const direct = str(ownValue(identity, 'userName'));
  if (direct) return direct;
  if (type === 'Root') return 'root';
  const principal = str(ownValue(identity, 'principalId'));
  if (type === 'AssumedRole') {
    const issuer = str(ownValue(ownValue(ownValue(identity, 'sessionContext'), 'sessionIssuer'), 'userName'));
    const session = principal && principal.includes(':') ? principal.slice(principal.indexOf(':') + 1) : undefined;
    if (issuer && session) return `${issuer}/${session}`;
    return issuer ?? session;
  }
  if (type === 'AWSService') return str(ownValue(identity, 'invokedBy'));
  const arn = str(ownValue(identity, 'arn'));
  if (arn) return arn.slice(arn.lastIndexOf(':') + 1);
  return principal;
}
