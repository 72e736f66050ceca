import { createServer } from 'node:http';
import next from 'next';
import { ConfigError, parseConfig } from '../lib/config/env';
import { CLIENT_HEADER, HOST_HEADER, PEER_HEADERS_ENV, PROTO_HEADER, resolvePeer } from '../lib/http/peer';

/**
 * The web server `npm start` runs: Next.js behind a plain Node HTTP server, which is the one place
 * that sees the socket. It records the real client address (and scheme and host, believing
 * forwarded headers only from TRUSTED_PROXIES) for the sign-in throttle, the origin check and
 * Secure cookies.
 */
async function main() {
  const cfg = parseConfig();
  const dev = process.argv.includes('--dev');
  const hostname = cfg.HOST ?? '0.0.0.0';
  const app = next({ dev, hostname, port: cfg.PORT, dir: process.cwd() });
  const handle = app.getRequestHandler();
  await app.prepare();
  process.env[PEER_HEADERS_ENV] = '1';
  const server = createServer((request, response) => {
    const peer = resolvePeer(request.socket as { remoteAddress?: string; encrypted?: boolean }, request.headers, cfg.TRUSTED_PROXIES);
    request.headers[CLIENT_HEADER] = peer.client;
    request.headers[PROTO_HEADER] = peer.proto;
    if (peer.host) request.headers[HOST_HEADER] = peer.host;
    else delete request.headers[HOST_HEADER];
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
