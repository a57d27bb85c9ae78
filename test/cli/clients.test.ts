import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientPerRegion, operationOf } from '../../cli/clients.js';
import { debugLogger } from '../../cli/debug-log.js';
import { failureLine } from '../../cli/failure.js';
import { callBoundMs } from '../../cli/timeouts.js';

/**
 * A real SDK client against a loopback server that answers like a broken proxy (an HTML page): the
 * middleware and the logger only run inside the SDK's own stack, which aws-sdk-client-mock replaces.
 */
let server: Server;
let endpoint: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    response.writeHead(502, { 'content-type': 'text/html' });
    response.end('<html>Sign in to the network</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function client(logger?: ReturnType<typeof debugLogger>): STSClient {
  const sts = clientPerRegion('sts', (config) => new STSClient({ ...config, endpoint, maxAttempts: 1 }), {
    ...(logger === undefined ? {} : { logger }),
  });
  return sts('eu-west-1');
}

async function failure(sts: STSClient): Promise<unknown> {
  return sts.send(new GetCallerIdentityCommand({})).then(
    () => expect.unreachable('the call must fail'),
    (error: unknown) => error,
  );
}

describe('clientPerRegion with a real client', () => {
  it('records the failed operation on its error, and the line says what the answer was', async () => {
    const error = await failure(client());
    expect(operationOf(error)).toBe('sts:GetCallerIdentity');
    expect(failureLine('sts:GetCallerIdentity', 'eu-west-1', error)).toBe(
      'sts:GetCallerIdentity in eu-west-1 failed: HTTP 502 UnreadableResponse: the answer is not an AWS API response (text/html). Check the endpoint: AWS_ENDPOINT_URL, a proxy in between, or the region name.',
    );
  });

  it('gives --debug the SDK request log, one line an entry', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
    });
    await failure(client(debugLogger(stream, 'cloudtrail-logs-guard')));
    const lines = text.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.startsWith('cloudtrail-logs-guard debug '))).toBe(true);
    expect(text).toContain("commandName: 'GetCallerIdentityCommand'");
  });

  it('records nothing on an error that no client raised', () => {
    expect(operationOf(new Error('elsewhere'))).toBeUndefined();
  });
});

describe('a client of the command line against an endpoint that never answers', () => {
  let silent: Server;
  let silentEndpoint: string;

  beforeAll(async () => {
    // Accepts the connection, reads the request, and never answers: a region whose endpoint hangs.
    silent = createServer((request) => {
      request.resume();
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentEndpoint = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('gives up after the read timeout on each attempt, within the bound, and the line says so', async () => {
    const timeouts = { connectSeconds: 1, readSeconds: 1 };
    const sts = clientPerRegion(
      'sts',
      (config) => new STSClient({ ...config, endpoint: silentEndpoint, maxAttempts: 2 }),
      { timeouts },
    )('eu-west-1');
    const started = Date.now();
    const error = await failure(sts);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
    expect(elapsed).toBeLessThan(callBoundMs(timeouts, 2));
    expect(failureLine('sts:GetCallerIdentity', 'eu-west-1', error)).toBe(
      'sts:GetCallerIdentity in eu-west-1 failed: TimeoutError: no answer within 1 s (2 attempts). The endpoint did not answer in time: check your network connection, proxy (HTTPS_PROXY), AWS_ENDPOINT_URL and the region name, or allow more time with --cli-connect-timeout and --cli-read-timeout (seconds).',
    );
  });
});
