// No credential, token or signature in any output (issue 13, item 2): an endpoint that echoes
// our request headers back in its error message, and an --endpoint-url with user info.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SAMPLE, serve, sh, SAMPLE_CLOCK } from '../helpers';

const TOKEN = 'FQoGZXIvYXdzEJrSESSIONTOKENVALUE';
const SECRET = 'wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY';
let server: Server;
let port = 0;

beforeAll(async () => {
  // Answers every call with an error whose message is the request's headers, as a careless proxy might.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'InvalidLookupAttributesException', message: `echo ${JSON.stringify(req.headers)}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.close();
});

describe('secrets stay out of messages', () => {
  test('an endpoint that echoes the signed headers: no token, signature or Authorization on stderr', async () => {
    const env = `env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=${SECRET} AWS_SESSION_TOKEN=${TOKEN} AWS_EC2_METADATA_DISABLED=true`;
    const r = await sh(`${env} ct-fetch --endpoint-url http://127.0.0.1:${port} --region us-east-1 --max-attempts 1`);
    expect(r.stderr).toContain('echo {');
    expect(r.stderr).toContain('[redacted]');
    for (const secret of [TOKEN, SECRET, 'AWS4-HMAC-SHA256', 'Signature=']) expect(r.stderr).not.toContain(secret);
    expect(r.code).toBe(1);
  });

  test('user info in --endpoint-url appears in no message: a failure, and the resume command', async () => {
    const env = 'env -u AWS_PROFILE AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=x AWS_EC2_METADATA_DISABLED=true';
    const failed = await sh(`${env} ct-fetch --endpoint-url http://alice:hunter2@127.0.0.1:1 --region us-east-1 --max-attempts 1`);
    expect(failed.stderr).toContain('cannot reach http://[redacted]@127.0.0.1:1');
    expect(failed.stderr).not.toContain('hunter2');
    const s = await serve(['--rate', '0', ...SAMPLE_CLOCK, SAMPLE]);
    try {
      const url = s.url.replace('http://', 'http://alice:hunter2@');
      const stopped = await sh(`${env} ct-fetch --endpoint-url ${url} --region us-east-1 --max-items 3`);
      expect(stopped.stderr).toContain('--endpoint-url http://[redacted]@127.0.0.1:');
      expect(stopped.stderr).not.toContain('hunter2');
      expect(stopped.stdout.split('\n').filter(Boolean)).toHaveLength(3);
    } finally {
      s.stop();
    }
  }, 60000);
});
