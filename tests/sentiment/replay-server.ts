import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import path from 'node:path';
import type { SentimentSourceConfig } from '@/lib/sentiment/config';

/**
 * A local HTTP server on 127.0.0.1 that answers like the real sentiment sources, from the recorded
 * payloads in tests/fixtures/sentiment, and fails on request in the ways real sources fail.
 */
export const SENTIMENT_FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'sentiment');

export type Fault = 'timeout' | 'rate_limit' | 'server_error' | 'malformed' | 'empty' | 'reset' | 'not_found';

export interface Route {
  status?: number;
  contentType: string;
  body: string;
}

export interface SentimentReplay {
  baseUrl: string;
  requests: URL[];
  /** Serves `route` at `pathname` (exact path, query ignored). */
  set(pathname: string, route: Route): void;
  /** Makes `pathname` fail this way until cleared with `fail(pathname, null)`. */
  fail(pathname: string, fault: Fault | null): void;
  close(): Promise<void>;
}

export const fixture = (name: string) => readFileSync(path.join(SENTIMENT_FIXTURES, name), 'utf8');
export const json = (name: string): Route => ({ contentType: 'application/json; charset=utf-8', body: fixture(name) });
export const xml = (name: string): Route => ({ contentType: 'application/rss+xml; charset=utf-8', body: fixture(name) });

export const PATHS = {
  fearGreed: '/fng/',
  coindesk: '/feeds/coindesk.xml',
  cointelegraph: '/feeds/cointelegraph.xml',
  decrypt: '/feeds/decrypt.xml',
  redditCryptoCurrency: '/r/CryptoCurrency/new.json',
  redditBitcoin: '/r/Bitcoin/new.json',
  cryptoPanic: '/api/developer/v2/posts/',
  coinGecko: '/api/v3/global',
} as const;

/** Every source answering with its recorded payload. */
export function serveRecorded(replay: SentimentReplay): void {
  replay.set(PATHS.fearGreed, json('fear-greed.json'));
  replay.set(PATHS.coindesk, xml('coindesk.xml'));
  replay.set(PATHS.cointelegraph, xml('cointelegraph.xml'));
  replay.set(PATHS.decrypt, { contentType: 'application/atom+xml', body: fixture('decrypt-atom.xml') });
  replay.set(PATHS.redditCryptoCurrency, json('reddit-cryptocurrency.json'));
  replay.set(PATHS.redditBitcoin, json('reddit-bitcoin.json'));
  replay.set(PATHS.cryptoPanic, json('cryptopanic.json'));
  replay.set(PATHS.coinGecko, json('coingecko-global.json'));
}

export function replayConfig(replay: SentimentReplay, overrides: Partial<SentimentSourceConfig> = {}): SentimentSourceConfig {
  const base = replay.baseUrl;
  return {
    timeoutMs: 2_000,
    userAgent: 'feature-foundation-tests',
    fearGreedBaseUrl: base,
    newsFeeds: [
      { id: 'coindesk', url: `${base}${PATHS.coindesk}` },
      { id: 'cointelegraph', url: `${base}${PATHS.cointelegraph}` },
      { id: 'decrypt', url: `${base}${PATHS.decrypt}` },
    ],
    redditBaseUrl: base,
    subreddits: ['CryptoCurrency', 'Bitcoin'],
    cryptoPanic: null,
    coinGeckoBaseUrl: base,
    ...overrides,
  };
}

export async function startSentimentReplay(): Promise<SentimentReplay> {
  const routes = new Map<string, Route>();
  const faults = new Map<string, Fault>();
  const requests: URL[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const fault = faults.get(url.pathname);
    const route = routes.get(url.pathname);
    switch (fault) {
      case 'timeout':
        // Headers and half a body, then silence: the timeout must cover the body too.
        res.writeHead(200, { 'content-type': route?.contentType ?? 'application/json' });
        res.write((route?.body ?? '{').slice(0, 20));
        setTimeout(() => res.end(), 10_000).unref();
        return;
      case 'rate_limit':
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '60' }).end('{"message": "Too Many Requests", "error": 429}');
        return;
      case 'server_error':
        res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Internal Server Error</body></html>');
        return;
      case 'malformed':
        res.writeHead(200, { 'content-type': route?.contentType ?? 'application/json' }).end((route?.body ?? '{"data": [').slice(0, Math.floor((route?.body.length ?? 20) / 2)));
        return;
      case 'empty':
        res.writeHead(200, { 'content-type': route?.contentType ?? 'application/json' }).end('');
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'not_found':
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
    }
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no route for ${url.pathname}`);
      return;
    }
    res.writeHead(route.status ?? 200, { 'content-type': route.contentType }).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    set: (pathname, route) => routes.set(pathname, route),
    fail: (pathname, fault) => (fault ? faults.set(pathname, fault) : faults.delete(pathname)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
