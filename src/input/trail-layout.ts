// Where CloudTrail puts its files in a bucket, and what a path there says before it is opened:
//   AWSLogs/[o-ORGID/]ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHmmZ_ID.json.gz
// (the CloudTrail user guide, "Finding your CloudTrail log files"; an Organization trail adds the
// organization's ID). A folder or file whose account, Region or day cannot hold an event asked
// for is passed over unread. The date in the path is when the file was delivered: its events
// happened before that, usually within minutes (about 5 on average, not guaranteed), so a file is
// passed over for an end time only when delivered more than DELIVERY_SLACK after it.

/** What the events asked for are: a window of eventTime, Regions, accounts (each optional). */
export interface PathScope {
  startMs?: number;
  endMs?: number;
  regions?: ReadonlySet<string>;
  accounts?: ReadonlySet<string>;
}

/** How long after its events a file may be delivered, at most, as far as pruning assumes. */
export const DELIVERY_SLACK_MS = 24 * 3600_000;
const DAY_MS = 24 * 3600_000;

const ACCOUNT = /^\d{12}$/;
const ORGANIZATION = /^o-[a-z0-9]{10,32}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const FILE_NAME = /^(\d{12})_CloudTrail_([a-z]{2}(?:-[a-z]+)+-\d+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_/;

/** What the AWSLogs part of a path says: the account, the Region, and the delivery span it covers. */
interface Placed {
  account?: string;
  region?: string;
  /** Deliveries in this folder or file happened in [from, to). */
  from?: number;
  to?: number;
}

/** Reads the parts of a path after its last `AWSLogs`; undefined when it has none, or not in the layout. */
function place(parts: readonly string[]): Placed | undefined {
  const at = parts.lastIndexOf('AWSLogs');
  if (at < 0) return undefined;
  let rest = parts.slice(at + 1);
  if (rest.length > 0 && ORGANIZATION.test(rest[0])) rest = rest.slice(1);
  const placed: Placed = {};
  if (rest.length === 0) return placed;
  if (!ACCOUNT.test(rest[0])) return undefined;
  placed.account = rest[0];
  if (rest.length === 1) return placed;
  // CloudTrail-Digest, CloudTrail-Insight and others: not this layout's events; read as they are.
  if (rest[1] !== 'CloudTrail') return undefined;
  if (rest.length === 2) return placed;
  if (!REGION.test(rest[2])) return undefined;
  placed.region = rest[2];
  const [year, month, day] = rest.slice(3, 6);
  if (year === undefined) return placed;
  if (!/^\d{4}$/.test(year)) return undefined;
  if (month === undefined) return span(placed, Date.UTC(Number(year), 0, 1), Date.UTC(Number(year) + 1, 0, 1));
  if (!/^\d{2}$/.test(month)) return undefined;
  if (day === undefined) return span(placed, Date.UTC(Number(year), Number(month) - 1, 1), Date.UTC(Number(year), Number(month), 1));
  if (!/^\d{2}$/.test(day)) return undefined;
  const dayStart = Date.UTC(Number(year), Number(month) - 1, Number(day));
  return span(placed, dayStart, dayStart + DAY_MS);
}

function span(placed: Placed, from: number, to: number): Placed {
  return Number.isNaN(from) ? placed : { ...placed, from, to };
}

/** What a file's own name says (it repeats the folders, to the minute). */
function placeFile(name: string): Placed | undefined {
  const m = FILE_NAME.exec(name);
  if (!m) return undefined;
  const delivered = Date.UTC(Number(m[3]), Number(m[4]) - 1, Number(m[5]), Number(m[6]), Number(m[7]));
  return Number.isNaN(delivered) ? undefined : { account: m[1], region: m[2], from: delivered, to: delivered + 60_000 };
}

/** True when nothing under this folder, or in this file, can be an event in `scope`. */
export function outsideScope(filePath: string, isDirectory: boolean, scope: PathScope): boolean {
  const parts = filePath.split(/[\\/]+/).filter(Boolean);
  const placed = isDirectory ? place(parts) : (placeFile(parts[parts.length - 1] ?? '') ?? place(parts.slice(0, -1)));
  if (!placed) return false;
  if (scope.accounts && placed.account !== undefined && !scope.accounts.has(placed.account)) return true;
  if (scope.regions && placed.region !== undefined && !scope.regions.has(placed.region)) return true;
  if (placed.from === undefined || placed.to === undefined) return false;
  // Delivered before the window opened: every event in it is older still.
  if (scope.startMs !== undefined && placed.to <= scope.startMs) return true;
  // Delivered long after the window closed: its events are after it too.
  if (scope.endMs !== undefined && placed.from > scope.endMs + DELIVERY_SLACK_MS) return true;
  return false;
}
