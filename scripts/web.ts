import http from 'node:http';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import next from 'next';

/**
 * The web server `npm start` runs: Next.js for every page and API, except that the training-set
 * download's response is written here. Next's route responses lose their Content-Length (it
 * streams them chunked, and answers HEAD without it), and readers such as polars.read_parquet(url)
 * refuse a file of unknown length. The handler is the same route module Next serves
 * (app/api/export/route.ts); only how its Response reaches the socket differs.
 */
const { values } = parseArgs({ options: { port: { type: 'string' }, dev: { type: 'boolean', default: false } } });
const port = Number(values.port ?? process.env.PORT ?? 3000);
const app = next({ dev: values.dev, port, hostname: 'localhost' });
const handle = app.getRequestHandler();

async function sendExport(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
  const request = new Request(new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`), { method: req.method, headers });
  const response = await (req.method === 'HEAD' ? exportRoute.HEAD : exportRoute.GET)(request);
  res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
  if (response.body && req.method !== 'HEAD') Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
  else res.end();
}

await app.prepare();
// Loaded after Next has set up its runtime (the route module imports next/server).
const exportRoute = await import('../app/api/export/route');
http
  .createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/api/export' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendExport(req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'internal error' }));
      });
      return;
    }
    void handle(req, res);
  })
  .listen(port, () => console.log(`web server on http://localhost:${port}${values.dev ? ' (dev)' : ''}`));
