import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { computeOhlcvFeatures, FEATURE_VERSION } from '@/lib/features';
import { storeCandles } from '@/lib/ingest/store';
import { poolSessions, type Sessions } from '@/lib/db/sql';
import { upsertOhlcvFeatures } from '@/lib/ingest/upsert';
import type { Candle } from '@/lib/market/candle';
import { SIMULATED_SOURCE, simulateCandles } from '@/lib/market/simulate';
import { validateCandles, type RejectionRule } from '@/lib/market/validate';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { marketCandles } from '../market/binance-replay';
import { count, expectStoredFeaturesMatchFullRecompute, snapshot } from './helpers';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const series = { symbol: 'BTC/USDT', timeframe: '1h' };

describe('storing candles with their features', () => {
  let db: TestDatabase;
  let sessions: Sessions;
  const store = (request: Omit<Parameters<typeof storeCandles>[1], 'symbol' | 'timeframe'>) => sessions((s) => storeCandles(s, { ...series, ...request }));

  beforeAll(async () => {
    db = await createMigratedDatabase();
    sessions = poolSessions(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query('truncate ml_features_ohlcv, ingest_quarantine, simulated_replacements, collection_attempts');
  });

  it('stores each candle with exactly the features of a full computation, version and source recorded', async () => {
    const candles = marketCandles(400, T0, H);
    const result = await store({ source: 'binance', candles });
    expect(result).toMatchObject({ written: 400, replaced: 0, keptReal: 0, range: { from: T0, to: T0 + 399 * H } });
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, candles, 0);
    const { rows } = await db.pool.query('select distinct source, is_simulated, feature_version from ml_features_ohlcv');
    expect(rows).toEqual([{ source: 'binance', is_simulated: false, feature_version: FEATURE_VERSION }]);
  });

  it('incremental batches give the features of one full computation, beyond the 1,000-candle warm-up', async () => {
    const candles = marketCandles(1600, T0, H, 5);
    await store({ source: 'binance', candles: candles.slice(0, 1300) });
    for (let start = 1300; start < 1600; start += 60) await store({ source: 'binance', candles: candles.slice(start, start + 60) });
    // OBV is a running total: a restored stream continues from the stored level.
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, candles);
  });

  it('is idempotent: the same candles again change nothing, computed_at included', async () => {
    const candles = marketCandles(1200, T0, H, 9);
    await store({ source: 'binance', candles: candles.slice(0, 1100) });
    await store({ source: 'binance', candles: candles.slice(1100) });
    const before = await snapshot(db.pool, series);
    expect((await store({ source: 'binance', candles })).written).toBe(0);
    expect((await store({ source: 'binance', candles: candles.slice(1050, 1150) })).written).toBe(0);
    expect(await snapshot(db.pool, series)).toEqual(before);
  });

  it('a corrected real candle is rewritten, with the features after it', async () => {
    const candles = marketCandles(300, T0, H, 3);
    await store({ source: 'binance', candles });
    const corrected = candles.map((c, i) => (i === 250 ? { ...c, volume: c.volume + 1000 } : c));
    const result = await store({ source: 'binance', candles: [corrected[250]!] });
    expect(result.written).toBeGreaterThan(1); // the candle, and the OBV/MFI/VWAP/... after it
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, corrected);
  });

  it('never lets a simulated row replace a real one, in the merge and in SQL', async () => {
    const candles = marketCandles(50, T0, H, 4);
    await store({ source: 'binance', candles });
    const before = await snapshot(db.pool, series);
    const fake = candles.slice(40).map((c) => ({ ...c, close: c.close * 1.01, high: c.high * 1.01 }));
    const result = await store({ source: SIMULATED_SOURCE, candles: fake });
    expect(result).toMatchObject({ written: 0, keptReal: 10 });

    // The guard in the upsert itself, for any writer that skips the merge.
    const written = await sessions((s) =>
      upsertOhlcvFeatures(s, series, fake.map((candle, i) => ({ candle, features: computeOhlcvFeatures(fake)[i]!, source: SIMULATED_SOURCE }))),
    );
    expect(written).toBe(0);
    expect(await snapshot(db.pool, series)).toEqual(before);
  });

  it('real candles replace simulated ones, recorded, with features recomputed from the first replaced candle', async () => {
    const real = marketCandles(500, T0, H, 6);
    await store({ source: 'binance', candles: real.slice(0, 400) });
    const simulated = simulateCandles(real.slice(0, 400), real.slice(400).map((c) => c.timestamp), { timeframe: '1h', seed: 1 });
    await store({ source: SIMULATED_SOURCE, candles: simulated });
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv where is_simulated')).toBe(100);

    // The source answers for the first 60 of them.
    const result = await store({ source: 'binance', candles: real.slice(400, 460) });
    expect(result.replaced).toBe(60);
    const { rows } = await db.pool.query(
      `select (extract(epoch from timestamp) * 1000)::float8 as ts, replaced_by, simulated_close, real_close
       from simulated_replacements order by timestamp`,
    );
    expect(rows).toEqual(real.slice(400, 460).map((c, i) => ({ ts: c.timestamp, replaced_by: 'binance', simulated_close: simulated[i]!.close, real_close: c.close })));
    // The 40 simulated candles after them now follow real history: their features moved too.
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, [...real.slice(0, 460), ...simulated.slice(60)]);
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv where is_simulated')).toBe(40);
  });

  it('stores a batch whole or not at all, quarantined rows included', async () => {
    const candles: Candle[] = marketCandles(30, T0, H, 8);
    // Validation would never pass this; the table's CHECK refuses it mid-batch.
    const broken = candles.map((c, i) => (i === 20 ? { ...c, low: c.high + 1 } : c));
    const rejected = [{ payload: ['x'], timestamp: null, rule: 'required' as const, reason: 'test' }];
    await expect(store({ source: 'binance', candles: broken, rejected })).rejects.toThrow(/ml_features_ohlcv_prices_check/);
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv')).toBe(0);
    expect(await count(db.pool, 'select 1 from ingest_quarantine')).toBe(0);
  });

  it('every validation rule sends its row to quarantine with the reason, and nothing of it to the table', async () => {
    const candles = marketCandles(10, T0, H, 12);
    const good = candles.map((c) => [c.timestamp, c.open, c.high, c.low, c.close, c.volume]);
    const at = (i: number) => T0 + i * H;
    const bad: [RejectionRule, unknown][] = [
      ['required', [at(10), 1, 2, 0.5, 1]],
      ['finite', [at(11), 1, Number.NaN, 0.5, 1, 3]],
      ['positive', [at(12), 1, 2, 0, 1, 3]],
      ['high', [at(13), 100, 99, 90, 100, 3]],
      ['low', [at(14), 100, 110, 101, 100, 3]],
      ['volume', [at(15), 100, 110, 90, 100, -3]],
      ['alignment', [at(16) + 1000, 100, 110, 90, 100, 3]],
      ['future', [at(500), 100, 110, 90, 100, 3]],
      ['duplicate', [at(3), 100, 110, 90, 100, 3]],
      ['jump', [at(17), 100_000, 100_000, 100_000, 100_000, 3]],
    ];
    const { accepted, rejected } = validateCandles([...good, ...bad.map(([, row]) => row)], { timeframe: '1h', now: at(100) });
    await store({ source: 'binance', candles: accepted, rejected });

    const { rows } = await db.pool.query<{ rule: string; reason: string; payload: unknown }>('select rule, reason, payload from ingest_quarantine order by id');
    expect(rows.map((r) => r.rule).sort()).toEqual(bad.map(([rule]) => rule).sort());
    for (const row of rows) expect(row.reason.length).toBeGreaterThan(10);
    expect(rows.find((r) => r.rule === 'finite')!.payload).toEqual([at(11), 1, 'NaN', 0.5, 1, 3]);
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, candles, 0);
  });

  it('quarantines rejected rows with their reason, once', async () => {
    const rejected = [
      { payload: [T0, 1, 0.5, 0.4, 1, 2], timestamp: T0, rule: 'high' as const, reason: 'high 0.5 is below max(open 1, close 1)' },
      { payload: 'garbage', timestamp: null, rule: 'required' as const, reason: 'row is neither' },
    ];
    expect((await store({ source: 'binance', candles: [], rejected })).quarantined).toBe(2);
    expect((await store({ source: 'binance', candles: [], rejected })).quarantined).toBe(0);
    const { rows } = await db.pool.query('select source, symbol, timeframe, timestamp, payload, rule, reason from ingest_quarantine order by id');
    expect(rows).toEqual([
      { source: 'binance', symbol: 'BTC/USDT', timeframe: '1h', timestamp: new Date(T0), payload: [T0, 1, 0.5, 0.4, 1, 2], rule: 'high', reason: rejected[0]!.reason },
      { source: 'binance', symbol: 'BTC/USDT', timeframe: '1h', timestamp: null, payload: 'garbage', rule: 'required', reason: 'row is neither' },
    ]);
  });
});
