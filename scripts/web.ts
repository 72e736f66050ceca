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
 * It also writes the training-set download's response itself: Next's route responses lose their
 * Content-Length (streamed chunked, HEAD without it), and readers such as polars.read_parquet(url)
 * refuse a file of unknown length. The handler is the same route module Next serves
 * (app/api/export/route.ts); only how its Response reaches the socket differs.
 */
type ExportRoute = typeof import('../app/api/export/route');

async function sendExport(route: ExportRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), { method: req.method, headers });
  const response = await (req.method === 'HEAD' ? route.HEAD : route.GET)(request);
  // Bypassing Next, so the headers next.config.js gives every response are set here.
  const security = Object.fromEntries(STATIC_SECURITY_HEADERS.map((h) => [h.key, h.value]));
  res.writeHead(response.status, { ...security, 'Content-Security-Policy': contentSecurityPolicy(null, false), ...Object.fromEntries(response.headers.entries()) });
  if (response.body && req.method !== 'HEAD') Readable.fromWeb(response.body as WebReadableStream).pipe(res);
  else res.end();
}
async function main() {
  const cfg = parseConfig();
  const dev = process.argv.includes('--dev');
  const hostname = cfg.HOST ?? '0.0.0.0';
  const app = next({ dev, hostname, port: cfg.PORT, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  process.env[PEER_HEADERS_ENV] = '1';
  // Loaded after Next has set up its runtime (the route module imports next/server).
  const exportRoute: ExportRoute = await import('../app/api/export/route');
  const server = createServer((request, response) => {
    const peer = resolvePeer(request.socket as { remoteAddress?: string; encrypted?: boolean }, request.headers, cfg.TRUSTED_PROXIES);
    request.headers[CLIENT_HEADER] = peer.client;
    request.headers[PROTO_HEADER] = peer.proto;
    if (peer.host) request.headers[HOST_HEADER] = peer.host;
    else delete request.headers[HOST_HEADER];
    const path = (request.url ?? '').split('?')[0];
    if (path === '/api/export' && (request.method === 'GET' || request.method === 'HEAD')) {
      sendExport(exportRoute, request, response).catch((error: unknown) => {
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
