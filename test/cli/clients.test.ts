import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientPerRegion, operationOf } from '../../cli/clients.js';
import { debugLogger } from '../../cli/debug-log.js';
import { failureLine } from '../../cli/failure.js';

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
    () => expect.unreachable('the HTML page must not parse'),
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
