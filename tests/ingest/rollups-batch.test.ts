import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, poolSessions, type Sessions } from '@/lib/db/sql';
import { storeCandleBatches } from '@/lib/ingest/store';
import { SIMULATED_SOURCE } from '@/lib/market/simulate';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { marketCandles } from '../market/binance-replay';

const M = 60_000;
const T0 = Date.UTC(2024, 2, 1, 22);
// Hour-or-longer series get their hourly rows from the batch's own upsert; 15m ones the generic recompute.
const SERIES = [
  { symbol: 'BTC/USDT', timeframe: '15m', size: 15 * M, count: 300 },
  { symbol: 'ETH/USDT', timeframe: '1h', size: 60 * M, count: 200 },
  { symbol: 'SOL/USDT', timeframe: '4h', size: 240 * M, count: 90 },
  { symbol: 'BNB/USDT', timeframe: '1d', size: 1_440 * M, count: 40 },
];
const candles = new Map(SERIES.map((s, i) => [s.symbol, marketCandles(s.count, T0, s.size, 30 + i)]));

/** Every rollup row as text, in key order: equal snapshots mean identical rollups. */
async function rollups(db: MigratedDatabase): Promise<string[]> {
  const hourly = await db.pool.query<{ r: string }>('select t::text as r from ml_features_ohlcv_1h t order by symbol, timeframe, bucket');
  const daily = await db.pool.query<{ r: string }>('select t::text as r from ml_features_ohlcv_1d t order by symbol, timeframe, bucket');
  return [...hourly.rows.map((r) => `h ${r.r}`), ...daily.rows.map((r) => `d ${r.r}`)];
}

/** The triggers' way, for comparison: recompute every hour of every stored row from the raw table. */
async function recomputedByTriggerFunction(db: MigratedDatabase): Promise<string[]> {
  await db.pool.query('truncate ml_features_ohlcv_1h, ml_features_ohlcv_1d');
  await db.pool.query(`select ff_recompute_ohlcv_rollups(array_agg(symbol), array_agg(timeframe), array_agg(bucket))
    from (select distinct symbol, timeframe, date_trunc('hour', timestamp, 'UTC') as bucket from ml_features_ohlcv) k`);
  return rollups(db);
}

describe('plain-mode rollups maintained from the batch', () => {
  let db: MigratedDatabase;
  let sessions: Sessions;
  const storeAll = (requests: Parameters<typeof storeCandleBatches>[1]) => sessions((s) => inTransaction(s, () => storeCandleBatches(s, requests)));

  beforeAll(async () => {
    db = await createMigratedDatabase();
    expect(db.migration.mode).toBe('plain');
    sessions = poolSessions(db.pool);
  });
  afterAll(() => db.drop());

  it('are bit for bit the rollups the triggers compute, through new rows, later batches and replacements', async () => {
    // A first batch of every series, then the rest in a second batch: partly filled hours and days continue.
    await storeAll(SERIES.map((s) => ({ ...s, source: 'binance', candles: candles.get(s.symbol)!.slice(0, Math.floor(s.count / 2) + 1) })));
    await storeAll(SERIES.map((s) => ({ ...s, source: 'binance', candles: candles.get(s.symbol)!.slice(Math.floor(s.count / 2) + 1, s.count - 5) })));
    // Simulated stand-ins, then the real candles replacing them.
    const tail = (s: (typeof SERIES)[number]) => candles.get(s.symbol)!.slice(s.count - 5);
    await storeAll(SERIES.map((s) => ({ ...s, source: SIMULATED_SOURCE, candles: tail(s).map((c) => ({ ...c, close: c.open, high: Math.max(c.high, c.open), low: Math.min(c.low, c.open) })) })));
    const withSimulated = await rollups(db);
    expect(withSimulated.some((r) => /,[1-9]\d*\)$/.test(r))).toBe(true); // some bucket counts simulated candles
    await storeAll(SERIES.map((s) => ({ ...s, source: 'binance', candles: tail(s) })));
    const fromBatches = await rollups(db);

    expect(fromBatches.length).toBeGreaterThan(0);
    const hours = (await db.pool.query('select count(*)::int as n from ml_features_ohlcv_1h')).rows[0].n;
    expect(hours).toBe(75 + 200 + 90 + 40); // 300 quarter-hours fill 75 hours; one bucket per longer candle
    expect(await recomputedByTriggerFunction(db)).toEqual(fromBatches);
  });

  it('leave the rollups as they were when the batch fails', async () => {
    const before = await rollups(db);
    const next = SERIES.map((s) => ({ ...s, source: 'binance', candles: marketCandles(3, T0 + s.count * s.size, s.size, 99) }));
    next[3]!.candles = [{ ...next[3]!.candles[0]!, close: Number.NaN }];
    await expect(storeAll(next)).rejects.toThrow(/invalid values/);
    expect(await rollups(db)).toEqual(before);
    expect((await db.pool.query("select current_setting('ff.skip_rollups', true) as v")).rows[0].v ?? '').not.toBe('on');
  });
});
