import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of moto that answers every request signed for `failingRegion` with an HTML
 * error page (what a corporate proxy or a captive portal sends) and forwards the rest unchanged. It stands
 * for a region whose endpoint fails, which moto alone cannot show.
 */
export interface FailingProxy {
  readonly endpoint: string;
  close(): Promise<void>;
}

// AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, ...
const SCOPE_REGION = /Credential=[^/]+\/\d{8}\/([^/]+)\//;

export async function startFailingProxy(target: string, failingRegion: string): Promise<FailingProxy> {
  const upstream = new URL(target);
  const server: Server = createServer((incoming, outgoing) => {
    const region = SCOPE_REGION.exec(incoming.headers.authorization ?? '')?.[1];
    if (region === failingRegion) {
      incoming.resume();
      outgoing.writeHead(502, { 'content-type': 'text/html' });
      outgoing.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      return;
    }
    const forwarded = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(outgoing);
      },
    );
    forwarded.on('error', (error) => outgoing.destroy(error));
    incoming.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
