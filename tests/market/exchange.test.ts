import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExchangeSource } from '@/lib/market/exchange';
import { fetchCandlePages } from '@/lib/market/pages';
import { SourceError } from '@/lib/market/source';
import { FIXTURES, klinesFromCandles, marketCandles, parsedCandles, replaySource, startBinanceReplay, type BinanceReplay, type Fault, type Kline } from './binance-replay';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

describe('exchange source through ccxt (binance, replayed)', () => {
  let replay: BinanceReplay;
  beforeAll(async () => {
    replay = await startBinanceReplay();
  });
  afterAll(() => replay.close());

  it('parses a recorded klines response with ccxt and sends Binance its parameters', async () => {
    const recorded = JSON.parse(readFileSync(path.join(FIXTURES, 'binance-klines-ETHBTC-1m.json'), 'utf8')) as Kline[];
    replay.setKlines('ETHBTC', '1m', recorded);
    const rows = await replaySource(replay).fetchCandles('ETH/BTC', '1m', 1591478520000, 10);
    expect(rows).toEqual([
      [1591478520000, 0.025013, 0.025018, 0.025, 0.025, 22.19],
      [1591478580000, 0.024996, 0.025009, 0.024994, 0.025003, 21.347],
      [1591478640000, 0.025008, 0.025011, 0.025003, 0.025008, 154.142],
    ]);
    const request = replay.requests.at(-1)!;
    expect(request.pathname).toBe('/api/v3/klines');
    expect(Object.fromEntries(request.searchParams)).toEqual({ symbol: 'ETHBTC', interval: '1m', startTime: '1591478520000', limit: '10' });
  });

  it("loads markets from Binance's exchangeInfo when none are given", async () => {
    replay.setKlines('BTCUSDT', '1h', klinesFromCandles(marketCandles(3, T0, H), H));
    const source = createExchangeSource({ exchangeId: 'binance', apiBaseUrl: replay.url, timeoutMs: 1000, enableRateLimit: false });
    const before = replay.requests.length;
    expect(await source.fetchCandles('BTC/USDT', '1h', T0, 3)).toHaveLength(3);
    expect(replay.requests.slice(before).map((r) => r.pathname)).toEqual(['/api/v3/exchangeInfo', '/fapi/v1/exchangeInfo', '/dapi/v1/exchangeInfo', '/api/v3/klines']);
  });

  it.each<[Fault, string]>([
    ['timeout', 'timeout'],
    ['rate_limit', 'rate_limit'],
    ['server_error', 'unavailable'],
    ['malformed', 'malformed'],
    ['reset', 'network'],
    ['bad_symbol', 'rejected'],
  ])('a %s answer becomes a SourceError of kind %s', async (fault, kind) => {
    replay.setKlines('BTCUSDT', '1h', klinesFromCandles(marketCandles(5, T0, H), H));
    replay.fail(fault);
    const error = await replaySource(replay).fetchCandles('BTC/USDT', '1h', T0, 5).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe(kind);
    expect((error as SourceError).transient).toBe(kind !== 'rejected');
  });

  it('an empty answer is an empty list (the collector decides whether that is a failure)', async () => {
    replay.fail('empty');
    expect(await replaySource(replay).fetchCandles('BTC/USDT', '1h', T0, 5)).toEqual([]);
  });

  it('pages through history without overlaps or holes', async () => {
    const candles = marketCandles(2500, T0, H);
    const klines = klinesFromCandles(candles, H);
    replay.setKlines('BTCUSDT', '1h', klines);
    const pages: unknown[][] = [];
    for await (const page of fetchCandlePages(replaySource(replay), { symbol: 'BTC/USDT', timeframe: '1h', since: T0, until: T0 + 2499 * H })) pages.push(page);
    expect(pages.map((p) => p.length)).toEqual([1000, 1000, 500]);
    const times = pages.flat().map((row) => (row as number[])[0]);
    expect(times).toEqual(candles.map((c) => c.timestamp));
    expect(pages.flat()).toEqual(parsedCandles(klines).map((c) => [c.timestamp, c.open, c.high, c.low, c.close, c.volume]));
  });
});
