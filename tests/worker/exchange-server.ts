import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { klinesFromCandles, marketCandles, startBinanceReplay, type BinanceReplay } from '../market/binance-replay';

const EXCHANGE_INFO = readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'worker', 'binance-exchange-info.json'), 'utf8');
const EMPTY_FUTURES = JSON.stringify({ timezone: 'UTC', serverTime: 0, rateLimits: [], exchangeFilters: [], symbols: [] });

export interface ExchangeServer {
  /** Give this to the worker as EXCHANGE_API_URL. */
  url: string;
  replay: BinanceReplay;
  /** Milliseconds each klines answer waits, to make a run long enough to interrupt. */
  delayMs: number;
  klineRequests(): number;
  close(): Promise<void>;
}

/** The recorded exchangeInfo with more spot markets: copies of BTCUSDT under other base assets. */
function exchangeInfoWith(symbols: readonly string[]): string {
  if (!symbols.length) return EXCHANGE_INFO;
  const info = JSON.parse(EXCHANGE_INFO) as { symbols: Record<string, unknown>[] };
  const template = info.symbols.find((s) => s.symbol === 'BTCUSDT')!;
  const extra = symbols.map((symbol) => {
    const base = symbol.split('/')[0]!;
    return { ...template, symbol: `${base}USDT`, baseAsset: base };
  });
  return JSON.stringify({ ...info, symbols: [...info.symbols, ...extra] });
}

/**
 * Binance as a worker process sees it: the markets (exchangeInfo, so ccxt loads them as in
 * production, plus `extraSymbols` for scale tests) in front of the klines replay server.
 */
export async function startExchangeServer(extraSymbols: readonly string[] = []): Promise<ExchangeServer> {
  const replay = await startBinanceReplay();
  const spotInfo = exchangeInfoWith(extraSymbols);
  let klines = 0;
  const state = { delayMs: 0 };
  const server = http.createServer(async (req, res) => {
    const url = req.url ?? '/';
    if (url.startsWith('/api/v3/exchangeInfo') || url.includes('/exchangeInfo')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(url.startsWith('/api/v3/') ? spotInfo : EMPTY_FUTURES);
      return;
    }
    klines += 1;
    if (state.delayMs) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
    try {
      const upstream = await fetch(`${replay.url}${url}`);
      res.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      res.end(await upstream.text());
    } catch {
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    replay,
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    klineRequests: () => klines,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await replay.close();
    },
  };
}

const SIZES: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '4h': 14_400_000, '1d': 86_400_000 };

/** Serves `count` candles ending at the last closed one for each series; returns them by series key. */
export function serveMarket(replay: BinanceReplay, symbols: string[], timeframes: string[], count: number, now = Date.now()) {
  const served = new Map<string, ReturnType<typeof marketCandles>>();
  symbols.forEach((symbol, i) => {
    for (const timeframe of timeframes) {
      const size = SIZES[timeframe]!;
      const lastClosed = Math.floor(now / size) * size - size;
      const candles = marketCandles(count, lastClosed - (count - 1) * size, size, 11 + i, 100 * (i + 1));
      replay.setKlines(symbol.replace('/', ''), timeframe, klinesFromCandles(candles, size));
      served.set(`${symbol}|${timeframe}`, candles);
    }
  });
  return served;
}
