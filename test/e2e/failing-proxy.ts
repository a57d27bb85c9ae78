import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

/**
 * A loopback HTTP proxy in front of moto that answers every request signed for `failingRegion` with an HTML
 * error page (what a corporate proxy or a captive portal sends) and forwards the rest unchanged. It stands
 * for a region whose endpoint fails, which moto alone cannot show. Built on the fault proxy, so its requests
 * are recorded like every other (the failed request was still made, and needs its grant).
 */
export type FailingProxy = FaultProxy;

// AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, ...
const SCOPE_REGION = /Credential=[^/]+\/\d{8}\/([^/]+)\//;

export function startFailingProxy(target: string, failingRegion: string): Promise<FailingProxy> {
  return startFaultProxy(target, async (call, forward) => {
    if (SCOPE_REGION.exec(call.authorization ?? '')?.[1] !== failingRegion) return forward();
    return {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    };
  });
}
