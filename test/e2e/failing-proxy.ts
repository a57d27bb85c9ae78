import { type FaultProxy, startFaultProxy } from './fault-proxy.js';

/**
 * A loopback HTTP proxy in front of moto that answers every request signed for `failingRegion` with an HTML
 * error page (what a corporate proxy or a captive portal sends) and forwards the rest unchanged. It stands
 * for a region whose endpoint fails, which moto alone cannot show. Built on the fault proxy, so its requests
 * are recorded like every other (the failed request was still made, and needs its grant).
 */
export type FailingProxy = FaultProxy;

export function startFailingProxy(target: string, failingRegion: string): Promise<FailingProxy> {
  return startFaultProxy(target, async (call, forward) => {
    if (call.region !== failingRegion) return forward();
    return {
      status: 502,
      headers: { 'content-type': 'text/html' },
      body: '<html><body><h1>502 Bad Gateway</h1></body></html>',
    };
  });
}
