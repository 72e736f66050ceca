import http from 'node:http';
import { Readable } from 'node:stream';
import { GET, HEAD } from './app/api/export/route';
// Mimics Next's sendResponse: content-length stripped, body piped (chunked).
http.createServer(async (req, res) => {
  const request = new Request(`http://localhost:3161${req.url}`, { method: req.method, headers: req.headers as Record<string, string> });
  console.log(req.method, JSON.stringify(req.headers.range ?? null));
  const response = await (req.method === 'HEAD' ? HEAD : GET)(request);
  res.statusCode = response.status;
  response.headers.forEach((v, k) => { if (!['content-length', 'content-encoding', 'transfer-encoding'].includes(k)) res.setHeader(k, v); });
  if (response.body && req.method !== 'HEAD') { for await (const chunk of Readable.fromWeb(response.body as any)) res.write(chunk); res.end(); } else res.end();
}).listen(3161, '127.0.0.1', () => console.log('listening'));
