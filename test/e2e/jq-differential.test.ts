// ct-where against jq on the real corpus: the same events selected, from both shapes.
import { describe, expect, test } from 'vitest';
import { absent, needs, sh } from '../helpers';

const JQ_STR = 'def s: if type=="string" then . elif type=="number" or type=="boolean" then tostring else empty end;';

const FILTERS: [string, string][] = [
  ['errorCode~Denied', '(.errorCode|s|test("Denied"))'],
  ['eventName=ConsoleLogin and responseElements.ConsoleLogin=Failure', '.eventName=="ConsoleLogin" and (.responseElements|objects|.ConsoleLogin)=="Failure"'],
  ['readOnly=true', '.readOnly==true or .readOnly=="true"'],
  ['eventSource=iam.amazonaws.com', '.eventSource=="iam.amazonaws.com"'],
  ['userIdentity.type=Root', '(.userIdentity|objects|.type)=="Root"'],
  ['errorCode exists', '.errorCode != null'],
  ['not errorCode exists', '.errorCode == null'],
  ['eventName~*^get', '(.eventName|s|test("^get";"i"))'],
  ['eventName in (ConsoleLogin, AssumeRole, GetObject)', '.eventName as $n | ["ConsoleLogin","AssumeRole","GetObject"] | index($n) != null'],
  ['awsRegion^=us- and readOnly=false', '((.awsRegion|s|startswith("us-")) // false) and (.readOnly==false or .readOnly=="false")'],
  ['sourceIPAddress~amazonaws\\.com$', '(.sourceIPAddress|s|test("amazonaws\\\\.com$"))'],
  ['resources[].type=AWS::S3::Bucket', '[.resources|arrays|.[]|objects|.type] | index("AWS::S3::Bucket") != null'],
  ['userIdentity.sessionContext.sessionIssuer.userName exists', '(.userIdentity|objects|.sessionContext|objects|.sessionIssuer|objects|.userName) != null'],
  ['eventTime >= 2023-01-01T00:00:00Z and eventTime < 2024-08-01T00:00Z', '(.eventTime|strings|sub(" ";"T")|sub("\\\\.[0-9]+";"")|sub("Z?$";"Z")|fromdateiso8601? // null) as $t | $t != null and $t >= 1672531200 and $t < 1722470400'],
];

describe.skipIf(absent('jq'))(`ct-where selects the same corpus events as jq ${needs('jq')}`, () => {
  test.each(FILTERS)('%s', async (expression, jqFilter) => {
    const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;
    const want = await sh(`jq -cS ${q(`${JQ_STR} select(${jqFilter})`)} converted/records.ndjson`);
    expect(want.stderr).toBe('');
    const fromRecords = await sh(`ct-where ${q(expression)} -- converted/records.ndjson | jq -cS .`);
    const fromLookup = await sh(`ct-where ${q(expression)} < converted/lookup-events.ndjson | ct-explode | jq -cS .`);
    expect(fromRecords.stderr).toBe('');
    expect(fromRecords.stdout).toBe(want.stdout);
    expect(fromLookup.stdout).toBe(want.stdout);
    expect(want.stdout.length).toBeGreaterThan(0);
  });
});
