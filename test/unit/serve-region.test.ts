import { describe, expect, test } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { requestRegion } from '../../src/serve/server';
import { ThrottleBudget, backoffMs, isRetryable } from '../../src/fetch/throttle-budget';

const request = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;

describe('the Region a request is for', () => {
  test('is the SigV4 signing Region', () => {
    const auth = 'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240722/eu-west-1/cloudtrail/aws4_request, SignedHeaders=host, Signature=abc';
    expect(requestRegion(request({ authorization: auth, host: 'cloudtrail.us-west-2.amazonaws.com' }), 'us-east-1')).toBe('eu-west-1');
  });
  test('else the host name, else the default', () => {
    expect(requestRegion(request({ host: 'cloudtrail.ap-northeast-1.amazonaws.com' }), 'us-east-1')).toBe('ap-northeast-1');
    expect(requestRegion(request({ host: '127.0.0.1:8080' }), 'us-east-1')).toBe('us-east-1');
  });
});

describe('the client-side budget', () => {
  test('spaces request starts 1/rate seconds apart (with 1% margin), starting at once', async () => {
    let now = 0;
    const waits: number[] = [];
    const budget = new ThrottleBudget(2, (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    }, () => now);
    for (let i = 0; i < 4; i++) await budget.take();
    expect(waits).toEqual([505, 505, 505]);
  });

  test('backoff grows and stays under its cap; only transient errors are retried', () => {
    expect(backoffMs(1, () => 0.999)).toBeLessThan(500);
    expect(backoffMs(10, () => 0.999)).toBeLessThan(20000);
    expect(isRetryable({ name: 'ThrottlingException' })).toBe(true);
    expect(isRetryable({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } })).toBe(true);
    expect(isRetryable({ name: 'Error', code: 'ECONNRESET' })).toBe(true);
    expect(isRetryable({ name: 'InvalidLookupAttributesException', $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isRetryable({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } })).toBe(false);
  });
});
