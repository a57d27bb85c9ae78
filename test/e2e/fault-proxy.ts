import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { RECORDED_HEADERS, recordExchange } from './call-recorder.js';
import { credentialScope, operationOf } from './emulator.js';

/**
 * A loopback proxy in front of the emulator, for what moto cannot produce on its own: a fault in one call
 * (throttling beyond the SDK's retries), a field it never returns, an API it does not implement, added latency,
 * or an endpoint that accepts the connection and never answers. Every request goes to moto unless `intercept`
 * answers it, rewrites moto's answer, or keeps silent; the bundled handler or the CLI is pointed at the proxy
 * instead of moto. Every request and the answer its sender got are recorded for the least-privilege check
 * (call-recorder.ts), including those the proxy answers itself or leaves unanswered: the caller made them, so
 * its role needs them.
 */

export interface ProxiedCall {
  /** The JSON protocol's `X-Amz-Target` (e.g. `...CloudTrail_20131101.GetTrailStatus`), if any. */
  readonly target: string | undefined;
  /** The API operation: the `X-Amz-Target` suffix (JSON protocols) or the `Action` parameter (query protocol). */
  readonly operation: string | undefined;
  /** Region of the SigV4 credential scope, i.e. the region the client was configured for. */
  readonly region: string | undefined;
  readonly body: string;
}

export interface ProxiedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What an intercept returns to give no answer at all: the connection stays open until the client gives up. */
export const SILENCE = Symbol('silence');

/** Answers a call: `forward()` sends it to moto unchanged and returns moto's answer. */
export type Intercept = (
  call: ProxiedCall,
  forward: () => Promise<ProxiedResponse>,
) => Promise<ProxiedResponse | typeof SILENCE>;

export interface FaultProxyOptions {
  /** Added before every answer, as a distant region's round trip would. @default 0 */
  readonly latencyMs?: number;
}

export interface FaultProxy {
  readonly endpoint: string;
  /** Closes the proxy, cutting the connections it keeps silent. */
  close(): Promise<void>;
}

/** Hop-by-hop and length headers the proxy recomputes. */
const DROPPED_HEADERS = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'content-encoding',
]);

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function forwardedHeaders(headers: IncomingMessage['headers']): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !DROPPED_HEADERS.has(name)) kept[name] = String(value);
  }
  return kept;
}

function recordedHeaders(request: IncomingMessage): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of RECORDED_HEADERS) {
    const value = request.headers[name];
    if (typeof value === 'string') kept[name] = value;
  }
  return kept;
}

/** Starts the proxy on 127.0.0.1 (a free port) in front of `upstream`. */
export async function startFaultProxy(
  upstream: string,
  intercept: Intercept,
  options: FaultProxyOptions = {},
): Promise<FaultProxy> {
  const server = createServer(async (request, response) => {
    try {
      const body = await readBody(request);
      const forward = async (): Promise<ProxiedResponse> => {
        const answer = await fetch(new URL(request.url ?? '/', upstream), {
          method: request.method ?? 'GET',
          headers: forwardedHeaders(request.headers),
          ...(request.method === 'GET' || request.method === 'HEAD' ? {} : { body }),
        });
        const headers: Record<string, string> = {};
        answer.headers.forEach((value, name) => {
          if (!DROPPED_HEADERS.has(name)) headers[name] = value;
        });
        return { status: answer.status, headers, body: await answer.text() };
      };
      const header = request.headers['x-amz-target'];
      const target = typeof header === 'string' ? header : undefined;
      const { region } = credentialScope(request.headers.authorization);
      const answer = await intercept(
        {
          target,
          operation: operationOf(target, body),
          region,
          body,
        },
        forward,
      );
      const sent = {
        method: request.method ?? 'GET',
        path: request.url ?? '/',
        headers: recordedHeaders(request),
        body,
      };
      if (answer === SILENCE) {
        // No answer ever comes: status 0, as for a request that never got one.
        recordExchange(sent, { status: 0, contentType: undefined, body: '' });
        return;
      }
      recordExchange(sent, {
        status: answer.status,
        contentType: Object.entries(answer.headers).find(
          ([name]) => name.toLowerCase() === 'content-type',
        )?.[1],
        body: answer.body,
      });
      if (options.latencyMs !== undefined) await sleep(options.latencyMs);
      response.writeHead(answer.status, answer.headers).end(answer.body);
    } catch (error) {
      response.writeHead(599).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
