// One line for each way a LookupEvents call fails, saying what to do. Only the error's name and
// message are used: nothing from the request (credentials, signatures) can reach the output.

export function describeAwsError(err: unknown, region: string, endpoint?: string): string {
  const e = (err ?? {}) as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
  const name = e.name ?? 'Error';
  const message = (e.message ?? String(err)).split('\n')[0];
  const status = e.$metadata?.httpStatusCode;
  if (name === 'SyntaxError' || /is not valid JSON|Unexpected token/.test(message)) {
    // Not an AWS answer at all: an HTML page from a proxy, a firewall, or another server.
    const from = endpoint ?? `CloudTrail in ${region}`;
    return `${region}: ${from} answered${status ? ` HTTP ${status}` : ''} with something that is not an AWS answer (a proxy, firewall or captive portal in the way, or a wrong --endpoint-url?)`;
  }
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return `no AWS credentials found (environment, ~/.aws profiles, SSO, instance role): run 'aws configure' or 'aws sso login', or pass --profile`;
  }
  if (name === 'AccessDeniedException' || name === 'AccessDenied' || (status === 403 && name !== 'UnrecognizedClientException')) {
    return `${region}: access denied: these credentials may not call cloudtrail:LookupEvents; ask for that permission (AWS said: ${message})`;
  }
  if (['UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredTokenException', 'InvalidSignatureException'].includes(name)) {
    return `${region}: the credentials were rejected (${name}); refresh them ('aws sso login', new keys) and try again`;
  }
  if (name.startsWith('Invalid') || name === 'OperationNotPermittedException' || name === 'UnsupportedOperationException') {
    return `${region}: AWS rejected the request: ${name}: ${message}`;
  }
  if (e.code && /^E[A-Z]+$/.test(e.code)) {
    return `${region}: cannot reach ${endpoint ?? `CloudTrail in ${region}`} (${e.code}); gave up after the retries`;
  }
  return `${region}: gave up: ${name}: ${message}`;
}

/** Why a call is being tried again, for the one line that says so: the network's code, or the error's name. */
export function retryReason(err: unknown): { network: boolean; text: string } {
  const e = (err ?? {}) as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (e.code && /^E[A-Z]+$/.test(e.code)) return { network: true, text: e.code };
  const status = e.$metadata?.httpStatusCode;
  return { network: false, text: `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}` };
}
