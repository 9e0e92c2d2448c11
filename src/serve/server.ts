// A local CloudTrail endpoint speaking AWS JSON 1.1: `POST /` with X-Amz-Target
// CloudTrail_20131101.LookupEvents, epoch-second timestamps, `{"__type","message"}` errors. Any
// SigV4 signature is accepted unless keys are given (then each is checked: authenticate.ts); the
// Region is the signing Region (or the host's). Each Region has
// its own events and its own rate limit. GET /__ctpipe/stats reports what was asked, for tests.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { EventStore, StoredEvent } from './event-store';
import { ApiError, makeToken, matches, parseLookupRequest } from './lookup-request';
import { authenticate, type KnownKeys } from './authenticate';

export interface ServeOptions {
  /** Requests per second per Region; 0 turns the limit off. */
  rate: number;
  /** Share of requests answered 500/503. */
  failRate: number;
  /** Share of requests whose connection is reset. */
  resetRate: number;
  /** Milliseconds to wait before answering. */
  delayMs: number;
  /** Answer every call with AccessDeniedException. */
  deny: boolean;
  defaultRegion: string;
  random: () => number;
  /** With keys, every request's SigV4 signature is checked against them (--credentials). */
  keys?: KnownKeys;
  /** Regions the account has enabled; others answer as an opt-in Region not enabled (--enabled-regions). */
  enabledRegions?: ReadonlySet<string>;
}

export interface ServeStats {
  requests: number;
  byRegion: Record<string, number>;
  throttled: number;
  failed: number;
  reset: number;
  events: number;
}

/** The operation, as the SDKs name it and as newer AWS CLIs do (with the service's namespace). */
const TARGETS = new Set(['CloudTrail_20131101.LookupEvents', 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents']);

export class LookupServer {
  // byRegion has no prototype: a Region named `constructor` is a key like any other.
  readonly stats: ServeStats = { requests: 0, byRegion: Object.create(null) as Record<string, number>, throttled: 0, failed: 0, reset: 0, events: 0 };
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly server: Server;

  constructor(
    private readonly store: EventStore,
    private readonly options: ServeOptions,
  ) {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
  }

  listen(port: number, host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const { port: actual } = this.server.address() as AddressInfo;
        resolve(`http://${host}:${actual}`);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) {
      // Read no further than the limit: answer, give the client a moment to read the answer (a
      // socket closed with unread data resets at once), then drop the connection.
      res.on('finish', () => setTimeout(() => req.destroy(), 1000).unref());
      send(res, 413, { __type: 'RequestEntityTooLargeException', message: `The request body is over ${MAX_BODY_BYTES} bytes.` });
      return;
    }
    if (req.method === 'GET' && req.url === '/__ctpipe/stats') {
      res.setHeader('Connection', 'close');
      return send(res, 200, this.stats, 'application/json');
    }
    const region = requestRegion(req, this.options.defaultRegion);
    this.stats.requests++;
    this.stats.byRegion[region] = (this.stats.byRegion[region] ?? 0) + 1;
    try {
      if (!REGION_NAME.test(region)) throw new ApiError('InvalidSignatureException', 'Credential should be scoped to a valid region. ');
      if (this.options.keys) await authenticate(req, body, this.options.keys, Date.now());
      // An opt-in Region the account has not enabled knows none of its keys.
      if (this.options.enabledRegions && !this.options.enabledRegions.has(region)) {
        throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid');
      }
      if (req.method !== 'POST') throw new ApiError('UnknownOperationException', 'Use POST /.', 404);
      const target = String(req.headers['x-amz-target'] ?? '');
      if (!TARGETS.has(target)) throw new ApiError('UnknownOperationException', `Unknown operation ${target || '(no X-Amz-Target)'}.`);
      if (this.overLimit(region)) {
        this.stats.throttled++;
        throw new ApiError('ThrottlingException', 'Rate exceeded');
      }
      if (this.options.random() < this.options.resetRate) {
        this.stats.reset++;
        req.socket.destroy();
        return;
      }
      if (this.options.random() < this.options.failRate) {
        this.stats.failed++;
        throw this.options.random() < 0.5
          ? new ApiError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500)
          : new ApiError('ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', 503);
      }
      if (this.options.deny) {
        throw new ApiError('AccessDeniedException', 'User: arn:aws:iam::123456789012:user/ct-serve is not authorized to perform: cloudtrail:LookupEvents because no identity-based policy allows the cloudtrail:LookupEvents action');
      }
      if (this.options.delayMs > 0) await new Promise((r) => setTimeout(r, this.options.delayMs));
      send(res, 200, this.lookup(parseBody(body), region));
    } catch (err) {
      if (err instanceof ApiError) send(res, err.status, { __type: err.type, message: err.message });
      else send(res, 500, { __type: 'InternalFailure', message: (err as Error).message }, undefined);
    }
  }

  private lookup(body: Record<string, unknown>, region: string): unknown {
    const request = parseLookupRequest(body, region);
    // The token holds where in the Region's list (newest first) the next page starts, so a page
    // costs what it scans from there, not a rescan of every page before it.
    const page: StoredEvent[] = [];
    const events = this.store.events(region);
    let next: number | undefined;
    for (let i = request.offset; i < events.length; i++) {
      const e = events[i];
      if (!matches(e, request)) continue;
      if (page.length === request.maxResults) {
        next = i;
        break;
      }
      page.push(e);
    }
    this.stats.events += page.length;
    // Written by hand: EventTime goes on the wire as AWS writes timestamps, a double (1.721736E9).
    const items = page.map((e) => withEventTime(e.item, e.timeMs));
    const token = next === undefined ? '' : `,"NextToken":${JSON.stringify(makeToken(request, region, next))}`;
    return new RawJson(`{"Events":[${items.join(',')}]${token}}`);
  }

  /**
   * A token bucket per Region: `rate` tokens a second, holding at most `rate`, like the
   * service's 2 requests per second (a paced client is never throttled, a burst is).
   */
  private overLimit(region: string): boolean {
    if (this.options.rate <= 0) return false;
    const now = Date.now();
    const bucket = this.buckets.get(region) ?? { tokens: this.options.rate, at: now };
    bucket.tokens = Math.min(this.options.rate, bucket.tokens + ((now - bucket.at) / 1000) * this.options.rate);
    bucket.at = now;
    this.buckets.set(region, bucket);
    if (bucket.tokens < 1) return true;
    bucket.tokens -= 1;
    return false;
  }
}

/**
 * A LookupEvents request is a few hundred bytes (an attribute value is at most 2,000
 * characters): a body past this is refused unread, so one huge POST cannot fill memory.
 */
const MAX_BODY_BYTES = 64 * 1024;

/** What every Region's name looks like: us-east-1, us-gov-west-1, cn-north-1, eu-isoe-west-1. */
const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** The body as text; undefined once it passes MAX_BODY_BYTES (the rest is not read). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (d: Buffer): void => {
      size += d.length;
      if (size <= MAX_BODY_BYTES) return void parts.push(d);
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text || '{}');
    // AWS JSON 1.1 treats a member sent as null as one not sent (NextToken: null on a first page).
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).filter(([, m]) => m !== null));
  } catch {
    // fall through
  }
  throw new ApiError('SerializationException', 'The request body is not a JSON object.');
}

/**
 * The Region of the SigV4 credential scope, else of a `cloudtrail.<region>.` host. The scope's
 * Region is taken as written (`US-EAST-1`, `constructor`): the caller refuses what is no Region
 * name, as AWS does, instead of serving it from another Region.
 */
export function requestRegion(req: IncomingMessage, fallback: string): string {
  const auth = String(req.headers.authorization ?? '');
  const scope = /Credential=[^/,\s]+\/\d{8}\/([^/,\s]+)\/cloudtrail\//.exec(auth);
  if (scope) return scope[1];
  const host = /^cloudtrail\.([a-z0-9-]+)\./.exec(String(req.headers.host ?? ''));
  return host ? host[1] : fallback;
}

/** JSON text made by hand, sent as it is. */
class RawJson {
  constructor(readonly text: string) {}
}

/** The item as JSON with its EventTime as epoch seconds written the way AWS's Java services write a double. */
function withEventTime(item: Record<string, unknown>, timeMs: number): string {
  // No prototype: an item's own `__proto__` key is copied as a key like any other.
  const rest = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(item)) if (key !== 'EventTime') rest[key] = item[key];
  const others = JSON.stringify(rest);
  return `{"EventTime":${awsDouble(timeMs / 1000)}${others === '{}' ? '}' : `,${others.slice(1)}`}`;
}

/**
 * A number as Java's Double.toString writes it, which is how CloudTrail's responses carry
 * timestamps (`1.424476529E9`; the AWS CLI v1 prints it back as `1424476529.0`): at least one
 * digit after the point, and an exponent from 10^7 up.
 */
export function awsDouble(value: number): string {
  if (!Number.isFinite(value)) return 'null';
  const abs = Math.abs(value);
  if (abs >= 1e-3 && abs < 1e7) return Number.isInteger(value) ? `${value}.0` : String(value);
  const [mantissa, exponent] = value.toExponential().split('e');
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exponent)}`;
}

function send(res: ServerResponse, status: number, body: unknown, type = 'application/x-amz-json-1.1'): void {
  const text = body instanceof RawJson ? body.text : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(text), 'x-amzn-RequestId': randomUUID() });
  res.end(text);
}
