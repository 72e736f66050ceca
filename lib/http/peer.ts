/**
 * Who is on the other end of a request, decided once where the socket is visible (scripts/web.ts)
 * and handed to route handlers in headers that clients cannot set: the server strips and rewrites
 * them on every request. Forwarded headers count only when the socket's peer is a configured proxy.
 */
export const CLIENT_HEADER = 'x-ff-client';
export const PROTO_HEADER = 'x-ff-proto';
export const HOST_HEADER = 'x-ff-host';
/** Set in the web server's own process: without it (e.g. `next dev`) the headers above are not believed. */
export const PEER_HEADERS_ENV = 'FF_PEER_HEADERS';

export interface Peer {
  client: string;
  proto: 'http' | 'https';
  host: string | null;
}

const normalize = (address: string) => address.replace(/^::ffff:/, '').trim();

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/**
 * The client address: the socket's peer, or — behind a trusted proxy — the right-most address in
 * X-Forwarded-For that is not itself a trusted proxy (the left part is whatever the client wrote).
 */
export function resolvePeer(
  socket: { remoteAddress?: string; encrypted?: boolean },
  headers: Record<string, string | string[] | undefined>,
  trustedProxies: readonly string[] = [],
): Peer {
  const peer = normalize(socket.remoteAddress ?? 'unknown');
  const trusted = new Set(trustedProxies.map(normalize));
  const ownProto = socket.encrypted ? 'https' : 'http';
  const host = first(headers.host) ?? null;
  if (!trusted.has(peer)) return { client: peer, proto: ownProto, host };
  const chain = (first(headers['x-forwarded-for']) ?? '').split(',').map(normalize).filter(Boolean);
  const client = [...chain].reverse().find((address) => !trusted.has(address)) ?? peer;
  const proto = first(headers['x-forwarded-proto'])?.split(',')[0]?.trim() === 'https' ? 'https' : ownProto;
  const forwardedHost = first(headers['x-forwarded-host'])?.split(',')[0]?.trim();
  return { client, proto, host: forwardedHost || host };
}

/** The peer as the web server recorded it; one shared "unknown" client when it did not run. */
export function peerOf(request: Request): Peer {
  const h = request.headers;
  if (process.env[PEER_HEADERS_ENV] !== '1') {
    return { client: 'unknown', proto: new URL(request.url).protocol === 'https:' ? 'https' : 'http', host: h.get('host') };
  }
  return { client: h.get(CLIENT_HEADER) ?? 'unknown', proto: h.get(PROTO_HEADER) === 'https' ? 'https' : 'http', host: h.get(HOST_HEADER) || h.get('host') };
}
