import { forbidden } from '@/lib/errors';
import { peerOf } from './peer';

/**
 * State-changing requests (sign-in, sign-out, runs) must come from this site: the Origin header's
 * scheme and host must be this server's own, as the socket saw them (forwarded headers count only
 * from TRUSTED_PROXIES). SameSite=strict cookies already keep other sites' requests unsigned-in;
 * this refuses them outright. Browsers always send Origin (or Sec-Fetch-Site) on such requests;
 * a client that sends neither is a script, not a page someone was lured to.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  if (origin === null) {
    if (site && site !== 'same-origin' && site !== 'none') throw forbidden(`cross-site request (Sec-Fetch-Site: ${site}) refused`);
    return;
  }
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    throw forbidden(`request from origin ${JSON.stringify(origin.slice(0, 100))} refused`);
  }
  const { proto, host } = peerOf(request);
  if (parsed.protocol !== `${proto}:` || parsed.host !== host) throw forbidden(`cross-site request from ${parsed.origin} refused`);
}
