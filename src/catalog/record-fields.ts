// The field names a CloudTrail record and a LookupEvents item have, for did-you-mean warnings and
// completion. From the CloudTrail user guide's record contents and the LookupEvents API model
// (see ../shared/reference/LOOKUP-EVENTS.md). A value of null means free-form below: any key
// may appear (requestParameters and the like depend on the API called).

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
  resources: { ARN: {}, accountId: {}, type: {} },
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

/** `user`: computed by ct-where and ct-csv, the best short name of who acted. */
export const COMPUTED_FIELDS: FieldTree = { user: {} };

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
