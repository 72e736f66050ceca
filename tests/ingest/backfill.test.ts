import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backfillCandles, BackfillError, type BackfillDeps, type BackfillProgress } from '@/lib/ingest/backfill';
import { poolSessions } from '@/lib/db/sql';
import { storeCandles } from '@/lib/ingest/store';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { klinesFromCandles, marketCandles, parsedCandles, replaySource, startBinanceReplay, type BinanceReplay } from '../market/binance-replay';
import { count, expectStoredFeaturesMatchFullRecompute, snapshot } from './helpers';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const series = { symbol: 'ETH/USDT', timeframe: '1h' };
const market = parsedCandles(klinesFromCandles(marketCandles(2600, T0, H, 21, 2000), H));
const NOW = T0 + 2500 * H + 5 * 60_000; // candles 0..2499 closed, 2500 open

describe('backfill', () => {
  let db: TestDatabase;
  let replay: BinanceReplay;
  let deps: BackfillDeps;

  beforeAll(async () => {
    db = await createMigratedDatabase();
    replay = await startBinanceReplay(() => NOW);
    replay.setKlines('ETHUSDT', '1h', klinesFromCandles(market, H));
  });
  afterAll(async () => {
    await replay.close();
    await db.drop();
  });
  beforeEach(async () => {
    await db.pool.query('truncate ml_features_ohlcv, ingest_quarantine, simulated_replacements, collection_attempts');
    replay.clearFaults();
    deps = { sessions: poolSessions(db.pool), source: replaySource(replay), now: () => NOW, retryDelayMs: 1 };
  });

  it('pages through history from a date with progress, features equal to a full recompute', async () => {
    const progress: BackfillProgress[] = [];
    const result = await backfillCandles(deps, { ...series, since: T0, onProgress: (p) => progress.push(p) });
    expect(progress.map((p) => [p.fetched, p.through])).toEqual([
      [1000, T0 + 999 * H],
      [2000, T0 + 1999 * H],
      [2501, T0 + 2500 * H], // the last page includes the open candle, which is not stored
    ]);
    expect(progress.every((p) => p.total === 2500)).toBe(true);
    expect(result).toMatchObject({ written: 2500, quarantined: 0 });
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, market.slice(0, 2500));
    const { rows } = await db.pool.query('select outcome, rows_written from collection_attempts');
    expect(rows).toEqual([{ outcome: 'real', rows_written: 2500 }]);
  });

  it('running the same backfill twice changes nothing, computed_at included', async () => {
    await backfillCandles(deps, { ...series, since: T0 + 300 * H });
    const before = await snapshot(db.pool, series);
    expect((await backfillCandles(deps, { ...series, since: T0 + 300 * H })).written).toBe(0);
    expect(await snapshot(db.pool, series)).toEqual(before);
  });

  it('history added before stored candles recomputes their features once, at the end', async () => {
    await deps.sessions((db) => storeCandles(db, { ...series, source: 'binance', candles: market.slice(2000, 2500) }));
    await backfillCandles(deps, { ...series, since: T0, until: T0 + 1999 * H });
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, market.slice(0, 2500));
  });

  it('a page that keeps failing stops the backfill, keeping the pages before it', async () => {
    replay.fail('pass', 'server_error', 'server_error', 'server_error');
    const error = await backfillCandles({ ...deps, retries: 2 }, { ...series, since: T0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackfillError);
    expect((error as BackfillError).progress).toMatchObject({ fetched: 1000, written: 1000 });
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv')).toBe(1000);
    const { rows } = await db.pool.query('select outcome, error from collection_attempts');
    expect(rows).toEqual([{ outcome: 'failed', error: expect.stringMatching(/backfill stopped: .*500/) }]);

    // Transient failures within the retry budget do not stop it.
    replay.fail('rate_limit', 'timeout');
    await backfillCandles({ ...deps, retries: 2 }, { ...series, since: T0 });
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv')).toBe(2500);
  });
});
