// Global services in event history. Since 22 November 2021 event history shows the events of
// CloudFront, IAM, sign-in and STS (its global endpoint) in us-east-1 only (the CloudTrail user
// guide, "Viewing CloudTrail events with the AWS CLI"; AWS's notice of the change); Route 53's
// and Organizations' (whose endpoint is in us-east-1) are recorded there too. ct-fetch warns before a lookup that would miss them, ct-serve when it
// loads one recorded elsewhere.
import { eventNamesBySource } from './catalog';

export const GLOBAL_REGION = 'us-east-1';

/** Event source -> whether only its global endpoint is global (STS and sign-in have Regional ones too). */
const GLOBAL_SOURCES: ReadonlyMap<string, boolean> = new Map([
  ['iam.amazonaws.com', false],
  ['cloudfront.amazonaws.com', false],
  ['route53.amazonaws.com', false],
  ['organizations.amazonaws.com', false],
  ['sts.amazonaws.com', true],
  ['signin.amazonaws.com', true],
]);

/** The host a record's call went to, when it says (tlsDetails.clientProvidedHostHeader). */
type HostOf = () => string | undefined;

/**
 * Whether an event of `source` belongs to us-east-1's event history. STS and sign-in: only when
 * the record says the global endpoint was called (a record that does not say, from before
 * tlsDetails, is taken as a call to a Regional endpoint, which is recorded in its Region).
 */
export function recordedGlobally(source: string, host: HostOf): boolean {
  const endpointOnly = GLOBAL_SOURCES.get(source);
  if (endpointOnly === undefined) return false;
  if (!endpointOnly) return true;
  const called = host();
  return called === 'sts.amazonaws.com' || called === 'signin.aws.amazon.com';
}

/**
 * The warning for a lookup that asks only Regions other than us-east-1 for a global service's
 * events (by EventSource, or by an EventName only global services have); undefined when none.
 */
export function globalLookupWarning(key: string | undefined, value: string | undefined, regions: readonly string[]): string | undefined {
  if (!key || value === undefined || regions.includes(GLOBAL_REGION)) return undefined;
  let sources: string[];
  if (key === 'EventSource') sources = [value];
  else if (key === 'EventName') sources = Object.entries(eventNamesBySource()).filter(([, names]) => names.includes(value)).map(([s]) => s);
  else return undefined;
  if (sources.length === 0 || !sources.every((s) => GLOBAL_SOURCES.has(s))) return undefined;
  const endpointOnly = sources.every((s) => GLOBAL_SOURCES.get(s));
  const what = key === 'EventSource' ? value : `${value} (${sources.join(', ')})`;
  return (
    `warning: ${what} is recorded in ${GLOBAL_REGION}'s event history${endpointOnly ? ' when its global endpoint is called' : ' only'} ` +
    `(since 22 November 2021), and ${regions.length === 1 ? `${regions[0]} is` : 'these Regions are'} not it: add --region ${GLOBAL_REGION}`
  );
}

/**
 * Where a lookup by `key`=`value` finds its events, when that is not simply the Regions asked:
 * 'only' us-east-1 (a global service's source, or a name only global services have), or us-east-1
 * 'also' (STS, sign-in: their global endpoint's calls are there, their Regional ones in their
 * Region). Undefined for everything else.
 */
export function globalHome(key: string, value: string): { home: 'only' | 'also'; sources: string[] } | undefined {
  let sources: string[];
  if (key === 'EventSource') sources = [value];
  else if (key === 'EventName') sources = Object.entries(eventNamesBySource()).filter(([, names]) => names.includes(value)).map(([s]) => s);
  else return undefined;
  if (sources.length === 0 || !sources.every((s) => GLOBAL_SOURCES.has(s))) return undefined;
  return { home: sources.some((s) => GLOBAL_SOURCES.get(s)) ? 'also' : 'only', sources };
}
