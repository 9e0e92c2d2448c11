// SigV4 checking for ct-serve --credentials: the request is signed again with the AWS SDK's own
// signer (@smithy/signature-v4, the one the SDK clients sign with) over exactly the headers the
// client signed, and the signatures compared. Failures are answered with the error types the
// AWS clients report from CloudTrail (messages as they show them; see the README).
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HttpRequest } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { ApiError } from './lookup-request';

/** Access key ID -> secret access key. */
export type KnownKeys = ReadonlyMap<string, string>;

/** How far a request's X-Amz-Date may be from the clock, as AWS allows. */
const SKEW_MS = 5 * 60_000;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/,\s]+)\/([^/,\s]+)\/aws4_request, ?SignedHeaders=([a-z0-9;.-]+), ?Signature=([0-9a-f]{64})$/;

const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** SHA-256 (or its HMAC with a secret) over node:crypto, in the shape the SDK's signer takes. */
type Data = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Data): string | Uint8Array =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

class NodeSha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: Data) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: Data): void {
    this.hash.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()));
  }
}

/** `20240722T120000Z` -> ms, or undefined. */
function amzDateMs(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  return Number.isNaN(ms) ? undefined : ms;
}

const amzDate = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Throws the ApiError AWS answers with unless `req` (with `body`) is signed by one of `keys`. */
export async function authenticate(req: IncomingMessage, body: string, keys: KnownKeys, nowMs: number): Promise<void> {
  const header = req.headers.authorization;
  if (header === undefined) throw new ApiError('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m = AUTHORIZATION.exec(header);
  if (!m) throw new ApiError('IncompleteSignatureException', 'The request signature does not conform to AWS standards.');
  const [, keyId, day, region, service, signedHeaders, signature] = m;
  const secret = keys.get(keyId);
  if (secret === undefined) throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid');
  const dateText = String(req.headers['x-amz-date'] ?? '');
  const dateMs = amzDateMs(dateText);
  if (dateMs === undefined || !dateText.startsWith(day)) {
    throw new ApiError('IncompleteSignatureException', 'The request signature does not conform to AWS standards.');
  }
  if (dateMs < nowMs - SKEW_MS) {
    throw new ApiError('InvalidSignatureException', `Signature expired: ${dateText} is now earlier than ${amzDate(nowMs - SKEW_MS)} (${amzDate(nowMs)} - 5 min.)`);
  }
  if (dateMs > nowMs + SKEW_MS) {
    throw new ApiError('InvalidSignatureException', `Signature not yet current: ${dateText} is still later than ${amzDate(nowMs + SKEW_MS)} (${amzDate(nowMs)} + 5 min.)`);
  }
  // The request as the client signed it: its method, path and the headers it names.
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    const value = req.headers[name];
    if (value === undefined) throw new ApiError('InvalidSignatureException', MISMATCH);
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const [path, query] = (req.url ?? '/').split('?');
  const request = new HttpRequest({
    method: req.method ?? 'POST',
    protocol: 'http:',
    hostname: String(req.headers.host ?? '').replace(/:\d+$/, ''),
    path,
    query: Object.fromEntries(new URLSearchParams(query ?? '')),
    headers,
    body,
  });
  // applyChecksum off: a payload hash header is signed only when the client sent (and signed) one.
  const signer = new SignatureV4({ credentials: { accessKeyId: keyId, secretAccessKey: secret }, region, service, sha256: NodeSha256, applyChecksum: false });
  const signed = await signer.sign(request, { signingDate: new Date(dateMs), signingRegion: region, signingService: service });
  const ours = /Signature=([0-9a-f]{64})/.exec(String(signed.headers.authorization ?? signed.headers.Authorization ?? ''))?.[1] ?? '';
  if (ours.length !== signature.length || !timingSafeEqual(Buffer.from(ours), Buffer.from(signature))) {
    throw new ApiError('InvalidSignatureException', MISMATCH);
  }
}
