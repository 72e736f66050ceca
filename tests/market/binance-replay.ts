import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Market } from 'ccxt';
import type { Candle } from '@/lib/market/candle';
import { createExchangeSource } from '@/lib/market/exchange';

/**
 * A local stand-in for Binance's spot REST API: serves klines in Binance's format with Binance's
 * paging rules (startTime, endTime, limit ≤ 1000, default 500), and fails on demand the way the
 * real API or the network does.
 */
/** `pass` answers normally: it lets a queued fault hit a later request. */
export type Fault = 'pass' | 'timeout' | 'rate_limit' | 'server_error' | 'malformed' | 'empty' | 'reset' | 'bad_symbol';

export type Kline = [number, string, string, string, string, string, number, string, number, string, string, string];

export const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'exchange');
export const MARKETS = JSON.parse(readFileSync(path.join(FIXTURES, 'binance-markets.json'), 'utf8')) as Market[];
const SPOT_EXCHANGE_INFO = readFileSync(path.join(FIXTURES, 'binance-exchangeInfo-spot.json'), 'utf8');
// ccxt's loadMarkets also asks the USDⓈ-M and COIN-M futures APIs: no markets there.
const NO_FUTURES = '{"timezone":"UTC","serverTime":1704067200000,"rateLimits":[],"exchangeFilters":[],"symbols":[]}';

export interface BinanceReplay {
  url: string;
  /** Every request received, in order. */
  requests: URL[];
  setKlines(marketId: string, interval: string, klines: Kline[]): void;
  /** The next requests answer with these faults, one each, in order. */
  fail(...faults: Fault[]): void;
  clearFaults(): void;
  close(): Promise<void>;
}

/**
 * `now` is the clock the exchange lives by: like the real API it serves candles that have opened by
 * then (the newest one still open), never later ones.
 */
export async function startBinanceReplay(now: () => number = () => Infinity): Promise<BinanceReplay> {
  const klines = new Map<string, Kline[]>();
  const faults: Fault[] = [];
  const requests: URL[] = [];

  const json = (res: http.ServerResponse, status: number, body: string) => {
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8' });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const fault = faults.shift();
    switch (fault) {
      case 'timeout':
        return; // never answers; ccxt's timeout fires
      case 'reset':
        req.socket.destroy();
        return;
      case 'rate_limit':
        return json(res, 429, '{"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute."}');
      case 'server_error':
        res.writeHead(500, { 'content-type': 'text/html' });
        return res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
      case 'malformed':
        return json(res, 200, '[[1591478520000,"0.02501300","0.025018');
      case 'empty':
        return json(res, 200, '[]');
      case 'bad_symbol':
        return json(res, 400, '{"code":-1121,"msg":"Invalid symbol."}');
    }
    if (url.pathname === '/api/v3/exchangeInfo') return json(res, 200, SPOT_EXCHANGE_INFO);
    if (url.pathname === '/fapi/v1/exchangeInfo' || url.pathname === '/dapi/v1/exchangeInfo') return json(res, 200, NO_FUTURES);
    if (url.pathname !== '/api/v3/klines') return json(res, 404, '{"code":-1,"msg":"not replayed here"}');
    const series = klines.get(`${url.searchParams.get('symbol')}|${url.searchParams.get('interval')}`);
    if (!series) return json(res, 400, '{"code":-1121,"msg":"Invalid symbol."}');
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 500), 1000);
    const start = url.searchParams.has('startTime') ? Number(url.searchParams.get('startTime')) : undefined;
    const end = url.searchParams.has('endTime') ? Number(url.searchParams.get('endTime')) : Infinity;
    const inRange = series.filter((k) => (start === undefined || k[0] >= start) && k[0] <= Math.min(end, now()));
    json(res, 200, JSON.stringify(start === undefined ? inRange.slice(-limit) : inRange.slice(0, limit)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setKlines: (marketId, interval, rows) => klines.set(`${marketId}|${interval}`, rows),
    fail: (...more) => faults.push(...more),
    clearFaults: () => faults.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A ccxt binance source talking to the replay server. */
// Generous enough for a loaded CI machine; a `timeout` fault costs this long once.
export function replaySource(replay: BinanceReplay, timeoutMs = 2000) {
  return createExchangeSource({ exchangeId: 'binance', apiBaseUrl: replay.url, markets: MARKETS, timeoutMs, enableRateLimit: false });
}

/** Candles as Binance sends them: decimal strings, close time = open + size − 1. */
export function klinesFromCandles(candles: readonly Candle[], sizeMs: number): Kline[] {
  return candles.map((c) => [
    c.timestamp,
    c.open.toFixed(2),
    c.high.toFixed(2),
    c.low.toFixed(2),
    c.close.toFixed(2),
    c.volume.toFixed(5),
    c.timestamp + sizeMs - 1,
    (c.volume * c.close).toFixed(8),
    100,
    (c.volume / 2).toFixed(5),
    ((c.volume * c.close) / 2).toFixed(8),
    '0',
  ]);
}

/** The candles ccxt will parse from those klines (decimal strings rounded as sent). */
export function parsedCandles(klines: readonly Kline[]): Candle[] {
  return klines.map((k) => ({ timestamp: k[0], open: Number(k[1]), high: Number(k[2]), low: Number(k[3]), close: Number(k[4]), volume: Number(k[5]) }));
}

/**
 * A deterministic market for tests, independent of the simulator under test: a random walk with
 * prices on a 0.01 tick and wicks that always contain open and close.
 */
export function marketCandles(count: number, start: number, sizeMs: number, seed = 1, startPrice = 30_000): Candle[] {
  let state = seed;
  const uniform = () => ((state = (state * 48271) % 2147483647) / 2147483647);
  const tick = (x: number) => Math.round(x * 100) / 100;
  const candles: Candle[] = [];
  let close = startPrice;
  for (let i = 0; i < count; i++) {
    const open = close;
    close = tick(open * (1 + (uniform() - 0.5) * 0.02));
    candles.push({
      timestamp: start + i * sizeMs,
      open,
      high: tick(Math.max(open, close) * (1 + uniform() * 0.004) + 0.01),
      low: tick(Math.min(open, close) * (1 - uniform() * 0.004) - 0.01),
      close,
      volume: Math.round((50 + uniform() * 100) * 1e5) / 1e5,
    });
  }
  return candles;
}
