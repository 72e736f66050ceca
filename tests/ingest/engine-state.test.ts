import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { storeCandles } from '@/lib/ingest/store';
import { poolSessions, type Session, type Sessions } from '@/lib/db/sql';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { marketCandles } from '../market/binance-replay';
import { expectStoredFeaturesMatchFullRecompute, snapshot } from './helpers';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const series = { symbol: 'ETH/USDT', timeframe: '1h' };

/** A session that counts the rows its statements return: what a store had to read. */
function counting(db: Session, tally: { rows: number; statements: number }): Session {
  return {
    async query<Row extends object>(sql: string, params?: unknown[]) {
      const result = await db.query<Row>(sql, params);
      tally.rows += result.rows.length;
      tally.statements += 1;
      return result;
    },
  };
}

describe('engine checkpoints in the database', () => {
  let db: TestDatabase;
  let sessions: Sessions;
  const store = (candles: ReturnType<typeof marketCandles>, extra: Partial<Parameters<typeof storeCandles>[1]> = {}, tally?: { rows: number; statements: number }) =>
    sessions((s) => storeCandles(tally ? counting(s, tally) : s, { ...series, source: 'binance', candles, ...extra }));
  const checkpoint = async () =>
    (await db.pool.query<{ ts: Date }>('select last_timestamp as ts from ml_engine_state where symbol = $1 and timeframe = $2', [series.symbol, series.timeframe])).rows[0]?.ts.getTime();

  beforeAll(async () => {
    db = await createMigratedDatabase();
    sessions = poolSessions(db.pool);
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    await db.pool.query('truncate ml_features_ohlcv, ml_engine_state, simulated_replacements');
  });

  it('a new candle costs one small read: features continue the uninterrupted stream bit for bit', async () => {
    const candles = marketCandles(1_400, T0, H, 21);
    await store(candles.slice(0, 1_200));
    expect(await checkpoint()).toBe(T0 + 1_199 * H);
    const reads: { rows: number; statements: number }[] = [];
    for (let i = 1_200; i < 1_400; i++) {
      const tally = { rows: 0, statements: 0 };
      await store([candles[i]!], {}, tally);
      reads.push(tally);
    }
    // Per candle a dozen statements, each answering at most one row (lock, checkpoint, the row
    // before, settings, counts): never the 1,000-row warm-up the store replayed before checkpoints.
    expect(Math.max(...reads.map((r) => r.rows / r.statements))).toBeLessThanOrEqual(1);
    expect(Math.max(...reads.map((r) => r.rows))).toBeLessThanOrEqual(12);
    expect(await checkpoint()).toBe(T0 + 1_399 * H);
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, candles, 0);
  });

  it('rebuilds from stored history when the checkpoint is missing, stale or from other code, and writes a fresh one', async () => {
    const candles = marketCandles(1_500, T0, H, 22);
    await store(candles.slice(0, 1_300));
    await db.pool.query('delete from ml_engine_state');
    const missing = { rows: 0, statements: 0 };
    await store(candles.slice(1_300, 1_350), {}, missing);
    expect(missing.rows).toBeGreaterThan(1_000);
    expect(await checkpoint()).toBe(T0 + 1_349 * H);

    await db.pool.query("update ml_engine_state set layout = 'ohlcv-v1/other-code'");
    await store(candles.slice(1_350, 1_400));
    await db.pool.query("update ml_engine_state set state = decode(repeat('00', 800), 'hex')");
    await store(candles.slice(1_400, 1_450));
    // A stored row changed behind the checkpoint's back: its values no longer match, so rebuild.
    await db.pool.query('update ml_features_ohlcv set rsi = rsi + 1 where timestamp = $1', [new Date(T0 + 1_449 * H)]);
    await store(candles.slice(1_450));
    await db.pool.query('update ml_features_ohlcv set rsi = rsi - 1 where timestamp = $1', [new Date(T0 + 1_449 * H)]);
    // Rebuilt states replay 1,000 candles: equal to the full computation within the store's tolerance.
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, candles, 1e-9);
    expect(await checkpoint()).toBe(T0 + 1_499 * H);
  });

  it('a write before the checkpoint drops it unless the batch reaches the newest candle again', async () => {
    const candles = marketCandles(1_300, T0, H, 23);
    await store(candles.slice(200));
    expect(await checkpoint()).toBe(T0 + 1_299 * H);
    // Older history without recomputing what follows (as a backfill's pages): the state is stale.
    await store(candles.slice(0, 200), { recomputeAfter: false });
    expect(await checkpoint()).toBeUndefined();
    await store([], { source: 'recompute', recomputeFrom: T0 });
    expect(await checkpoint()).toBe(T0 + 1_299 * H);
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, candles, 0);
  });

  it('a re-run skips the candles it already stored: no history replay, nothing rewritten', async () => {
    const candles = marketCandles(1_300, T0, H, 25);
    await store(candles.slice(0, 1_250));
    const before = await snapshot(db.pool, series);
    const again = { rows: 0, statements: 0 };
    expect((await store(candles.slice(0, 1_250), {}, again)).written).toBe(0);
    expect(await snapshot(db.pool, series)).toEqual(before);
    // An overlapping batch (the last 20 stored, then 50 new) continues from the checkpoint.
    const overlap = { rows: 0, statements: 0 };
    expect((await store(candles.slice(1_230), {}, overlap)).written).toBe(50);
    expect(overlap.rows).toBeLessThan(100);
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, candles, 0);
  });

  it('a failed batch leaves both the rows and the checkpoint as they were', async () => {
    const candles = marketCandles(1_100, T0, H, 24);
    await store(candles.slice(0, 1_050));
    const before = [await snapshot(db.pool, series), await checkpoint()];
    const bad = candles.slice(1_050).map((c, i) => (i === 30 ? { ...c, close: Number.NaN } : c));
    await expect(store(bad)).rejects.toThrow(/invalid values/);
    expect([await snapshot(db.pool, series), await checkpoint()]).toEqual(before);
    await store(candles.slice(1_050));
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, candles, 0);
  });
});
