// The computed fields. `user`: who acted, as one short name, the same for a LookupEvents item and
// its record, worked out from the record's userIdentity by one rule per identity type (the table
// in the README); an item's own `Username` is used only when its record's userIdentity names no
// one. `consoleUrl`: the event's page in the CloudTrail console.
import { ownValue } from './field-path';

/** `user`: a field no record has, computed as the best short name for who acted. */
export const VIRTUAL_USER = 'user';

type Identity = unknown;

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const field = (identity: Identity, key: string): string | undefined => text(ownValue(identity, key));

/** What follows the first `:` of a principal ID (`AROAEXAMPLE:session` -> `session`). */
function sessionOf(principalId: string | undefined): string | undefined {
  const colon = principalId?.indexOf(':') ?? -1;
  return colon >= 0 ? text(principalId!.slice(colon + 1)) : undefined;
}

/** The resource part of an ARN after `kind/` (`arn:aws:sts::1:assumed-role/R/S`, `assumed-role/`) -> `R/S`. */
function arnResource(arn: string | undefined, kind: string): string | undefined {
  const at = arn?.indexOf(`:${kind}/`) ?? -1;
  return at >= 0 ? text(arn!.slice(at + kind.length + 2)) : undefined;
}

/** The last part of an ARN, after its last `:` or `/`. */
function arnTail(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : text(arn.slice(Math.max(arn.lastIndexOf(':'), arn.lastIndexOf('/')) + 1));
}

/** `role/session`: from the ARN, else from the session issuer and the principal ID. */
function roleSession(identity: Identity): string | undefined {
  const fromArn = arnResource(field(identity, 'arn'), 'assumed-role');
  if (fromArn?.includes('/')) return fromArn;
  const issuer = field(ownValue(ownValue(identity, 'sessionContext'), 'sessionIssuer'), 'userName') ?? fromArn;
  const session = sessionOf(field(identity, 'principalId'));
  return issuer && session ? `${issuer}/${session}` : (issuer ?? session);
}

/** Anything that names the principal, for types this table does not know (and as the last resort). */
function anyName(identity: Identity): string | undefined {
  return field(identity, 'userName') ?? arnTail(field(identity, 'arn')) ?? field(identity, 'principalId')
    ?? field(identity, 'invokedBy') ?? field(identity, 'accountId');
}

/** One rule per `userIdentity.type`. The README's table says the same, with real examples. */
const BY_TYPE: Record<string, (identity: Identity) => string | undefined> = {
  IAMUser: (id) => anyName(id),
  AssumedRole: (id) => roleSession(id) ?? anyName(id),
  Root: () => 'root',
  AWSService: (id) => field(id, 'invokedBy') ?? anyName(id),
  AWSAccount: (id) => {
    const account = field(id, 'accountId');
    const session = sessionOf(field(id, 'principalId'));
    return account && session ? `${account}/${session}` : (account ?? anyName(id));
  },
  FederatedUser: (id) => arnResource(field(id, 'arn'), 'federated-user') ?? sessionOf(field(id, 'principalId')) ?? anyName(id),
  SAMLUser: (id) => anyName(id),
  WebIdentityUser: (id) => anyName(id),
  IdentityCenterUser: (id) => field(ownValue(id, 'onBehalfOf'), 'userId') ?? anyName(id),
  Unknown: (id) => anyName(id),
};

/** `user` for a record's userIdentity (undefined when there is nothing to name). */
export function userOfIdentity(identity: unknown): string | undefined {
  if (identity === null || typeof identity !== 'object') return undefined;
  const type = field(identity, 'type');
  const rule = type !== undefined && Object.hasOwn(BY_TYPE, type) ? BY_TYPE[type] : undefined;
  // No type: service events ({"accountId","invokedBy"}) name the service first.
  return rule ? rule(identity) : type === undefined ? (field(identity, 'invokedBy') ?? anyName(identity)) : anyName(identity);
}

/** `consoleUrl`: a field no record has, the event's page in the CloudTrail console. */
export const CONSOLE_URL = 'consoleUrl';

/**
 * The CloudTrail console's page of one event, by its Region and ID (as event history links it:
 * https://REGION.console.aws.amazon.com/cloudtrailv2/home?region=REGION#/events/ID); the China
 * Regions' console is on amazonaws.cn. Undefined without a Region or an ID.
 */
export function consoleUrl(item: unknown, record: () => Record<string, unknown>): string | undefined {
  const id = text(ownValue(item, 'EventId')) ?? text(ownValue(record(), 'eventID'));
  const region = text(ownValue(record(), 'awsRegion'));
  if (!id || !region || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) return undefined;
  const host = region.startsWith('cn-') ? `${region}.console.amazonaws.cn` : region.startsWith('us-gov-') ? 'console.amazonaws-us-gov.com' : `${region}.console.aws.amazon.com`;
  return `https://${host}/cloudtrailv2/home?region=${region}#/events/${encodeURIComponent(id)}`;
}

/** `item` is the event as read; `record()` its CloudTrail record (the item's parsed CloudTrailEvent). */
export function bestUserName(item: unknown, record: () => Record<string, unknown>): string | undefined {
  return userOfIdentity(ownValue(record(), 'userIdentity')) ?? text(ownValue(item, 'Username'));
}
