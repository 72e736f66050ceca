import { register } from 'node:module';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import next from 'next';
import { ConfigError, parseConfig } from '../lib/config/env';
import { CLIENT_HEADER, HOST_HEADER, PEER_HEADERS_ENV, PROTO_HEADER, resolvePeer } from '../lib/http/peer';
import { contentSecurityPolicy, STATIC_SECURITY_HEADERS } from '../lib/http/security-headers';

/**
 * The web server `npm start` runs: Next.js behind a plain Node HTTP server, which is the one place
 * that sees the socket. It records the real client address (and scheme and host, believing
 * forwarded headers only from TRUSTED_PROXIES) for the sign-in throttle, the origin check and
 * Secure cookies.
 *
 * Two read routes are answered here, with the same route modules Next serves (validation, errors
 * and 503s as every route; the security headers of next.config.js set below), and only how their
 * Response reaches the socket differs:
 * - the training-set download: Next's route responses lose their Content-Length (streamed chunked,
 *   HEAD without it), and readers such as polars.read_parquet(url) refuse a file of unknown length;
 * - the chart data (/api/indicators), polled by every open dashboard: its cached, already compressed
 *   bytes are written as they are, without Next's per-request pipeline (routing, proxy.ts, response
 *   conversion, a second compression pass), which cost ~10 ms of CPU per 150 KB response.
 */
type RouteModule = { GET: (request: Request) => Promise<Response>; HEAD?: (request: Request) => Promise<Response> };

async function sendRoute(route: RouteModule, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  // The handlers read only the path and query; the Host header is the client's and may not parse.
  const request = new Request(new URL(req.url ?? '/', 'http://localhost'), { method: req.method, headers });
  const response = await (req.method === 'HEAD' ? (route.HEAD ?? route.GET) : route.GET)(request);
  res.writeHead(response.status, { ...SECURITY_HEADERS, ...Object.fromEntries(response.headers.entries()) });
  if (response.body && req.method !== 'HEAD') Readable.fromWeb(response.body as WebReadableStream).pipe(res);
  else res.end();
}

const SERVER_ONLY_HOOK = `data:text/javascript,${encodeURIComponent(
  "export const resolve = (specifier, context, next) => next(specifier, specifier === 'server-only' ? { ...context, conditions: [...context.conditions, 'react-server'] } : context);",
)}`;

// Bypassing Next, so the headers next.config.js gives every response are set here.
const SECURITY_HEADERS = { ...Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value])), 'Content-Security-Policy': contentSecurityPolicy(null, false) };

async function main() {
  const cfg = parseConfig();
  const dev = process.argv.includes('--dev');
  const hostname = cfg.HOST ?? '0.0.0.0';
  const app = next({ dev, hostname, port: cfg.PORT, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  process.env[PEER_HEADERS_ENV] = '1';
  // Loaded after Next has set up its runtime (the route modules import next/server). This process
  // is the server: the modules' `server-only` marker resolves as Next resolves it for server code.
  register(SERVER_ONLY_HOOK);
  const direct = new Map<string, RouteModule>([
    ['/api/export', await import('../app/api/export/route')],
    ['/api/indicators', await import('../app/api/indicators/route')],
  ]);
  const server = createServer((request, response) => {
    const peer = resolvePeer(request.socket as { remoteAddress?: string; encrypted?: boolean }, request.headers, cfg.TRUSTED_PROXIES);
    request.headers[CLIENT_HEADER] = peer.client;
    request.headers[PROTO_HEADER] = peer.proto;
    if (peer.host) request.headers[HOST_HEADER] = peer.host;
    else delete request.headers[HOST_HEADER];
    const route = direct.get((request.url ?? '').split('?')[0]!);
    if (route && (request.method === 'GET' || request.method === 'HEAD')) {
      sendRoute(route, request, response).catch((error: unknown) => {
        console.error(error);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'internal error' }));
      });
      return;
    }
    void handle(request, response);
  });
  server.on('error', (error: NodeJS.ErrnoException) => {
    console.error(`web: ${error.code === 'EADDRINUSE' ? `PORT: port ${cfg.PORT} is already in use` : error.message}`);
    process.exit(1);
  });
  server.listen(cfg.PORT, hostname, () => console.log(`web server listening on ${hostname}:${cfg.PORT}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // Keep-alive sockets would hold close() open: end them once the in-flight requests are answered.
  process.on('SIGTERM', () => setTimeout(() => server.closeAllConnections(), 5_000).unref());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `web: ${error.message}` : error);
  process.exit(1);
});
