// The field names a CloudTrail record and a LookupEvents item have, for did-you-mean warnings and
// completion. From the CloudTrail user guide's record contents and the LookupEvents API model
// (the LookupEvents API reference). A value of null means free-form below: any key
// may appear (requestParameters and the like depend on the API called).

import { nearest } from '../common/suggest';
import type { FieldPath } from './field-path';

export type FieldTree = { readonly [name: string]: FieldTree | null };

const sessionIssuer: FieldTree = { type: {}, userName: {}, principalId: {}, arn: {}, accountId: {} };

export const RECORD_FIELDS: FieldTree = {
  eventVersion: {},
  userIdentity: {
    type: {},
    principalId: {},
    arn: {},
    accountId: {},
    accessKeyId: {},
    userName: {},
    invokedBy: {},
    identityProvider: {},
    credentialId: {},
    onBehalfOf: null,
    inScopeOf: null,
    sessionContext: {
      attributes: { creationDate: {}, mfaAuthenticated: {} },
      sessionIssuer,
      webIdFederationData: null,
      sourceIdentity: {},
      ec2RoleDelivery: {},
      assumedRoot: {},
    },
  },
  eventTime: {},
  eventSource: {},
  eventName: {},
  awsRegion: {},
  sourceIPAddress: {},
  userAgent: {},
  errorCode: {},
  errorMessage: {},
  requestParameters: null,
  responseElements: null,
  additionalEventData: null,
  requestID: {},
  eventID: {},
  eventType: {},
  apiVersion: {},
  managementEvent: {},
  readOnly: {},
  // ARNPrefix: S3 data events on a prefix of objects (27 in the real trail data, e.g. arn:aws:s3:::bucket/logs/).
  resources: { ARN: {}, ARNPrefix: {}, accountId: {}, type: {} },
  recipientAccountId: {},
  serviceEventDetails: null,
  sharedEventID: {},
  vpcEndpointId: {},
  vpcEndpointAccountId: {},
  eventCategory: {},
  addendum: null,
  sessionCredentialFromConsole: {},
  edgeDeviceDetails: null,
  tlsDetails: { tlsVersion: {}, cipherSuite: {}, clientProvidedHostHeader: {} },
  insightDetails: null,
};

export const LOOKUP_ITEM_FIELDS: FieldTree = {
  EventId: {},
  EventName: {},
  ReadOnly: {},
  AccessKeyId: {},
  EventTime: {},
  EventSource: {},
  Username: {},
  Resources: { ResourceType: {}, ResourceName: {} },
  CloudTrailEvent: {},
};

/**
 * Computed by every command that reads fields: `user`, the best short name of who acted;
 * `consoleUrl`, the event's page in the CloudTrail console (for a support case).
 */
export const COMPUTED_FIELDS: FieldTree = { user: {}, consoleUrl: {} };

export const ALL_TOP_FIELDS: FieldTree = { ...RECORD_FIELDS, ...LOOKUP_ITEM_FIELDS, ...COMPUTED_FIELDS };

/** Every known path, dotted, for completion: "userIdentity.sessionContext.sessionIssuer.arn". */
export function fieldPaths(tree: FieldTree = ALL_TOP_FIELDS, prefix = ''): string[] {
  const out: string[] = [];
  for (const [name, sub] of Object.entries(tree)) {
    const path = prefix + name;
    out.push(path);
    if (sub) out.push(...fieldPaths(sub, `${path}.`));
  }
  return out;
}

/**
 * A warning for a field path that no CloudTrail record or LookupEvents item has, or undefined.
 * Names below free-form fields (requestParameters...) are never questioned.
 */
export function unknownFieldWarning(path: FieldPath): string | undefined {
  let tree: FieldTree | null = ALL_TOP_FIELDS;
  const seen: string[] = [];
  for (const step of path.steps) {
    if (step.kind !== 'key') continue;
    if (tree === null) return undefined;
    const sub: FieldTree | null | undefined = Object.prototype.hasOwnProperty.call(tree, step.name) ? tree[step.name] : undefined;
    if (sub === undefined) {
      const where = seen.length ? ` under '${seen.join('.')}'` : '';
      const near = nearest(step.name, Object.keys(tree));
      const hint = near.length ? `; did you mean ${near.map((n) => `'${[...seen, n].join('.')}'`).join(' or ')}?` : '';
      return `warning: no CloudTrail event has a field '${step.name}'${where}${hint}`;
    }
    seen.push(step.name);
    tree = sub;
  }
  return undefined;
}
