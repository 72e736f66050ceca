import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectCandles, type CollectorDeps } from '@/lib/ingest/collect';
import { poolSessions } from '@/lib/db/sql';
import { CircuitBreaker } from '@/lib/market/circuit-breaker';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { klinesFromCandles, marketCandles, parsedCandles, replaySource, startBinanceReplay, type BinanceReplay, type Fault } from '../market/binance-replay';
import { count, expectStoredFeaturesMatchFullRecompute, snapshot } from './helpers';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const series = { symbol: 'BTC/USDT', timeframe: '1h' };
// The exchange's history: 1,400 hourly candles from T0. What is visible depends on the clock.
const market = parsedCandles(klinesFromCandles(marketCandles(1400, T0, H, 11), H));
/** Real candles from index `from` through the last one closed at `now`. */
const realThrough = (from: number, now: number) => market.filter((c, i) => i >= from && c.timestamp + H <= now);

describe('collecting candles from an exchange (ccxt against a replayed Binance)', () => {
  let db: TestDatabase;
  let replay: BinanceReplay;
  let now: number;
  let deps: CollectorDeps;

  beforeAll(async () => {
    db = await createMigratedDatabase();
    replay = await startBinanceReplay(() => now);
    replay.setKlines('BTCUSDT', '1h', klinesFromCandles(market, H));
  });
  afterAll(async () => {
    await replay.close();
    await db.drop();
  });
  beforeEach(async () => {
    await db.pool.query('truncate ml_features_ohlcv, ingest_quarantine, simulated_replacements, collection_attempts');
    replay.clearFaults();
    now = T0 + 1100 * H + 20 * 60_000; // 20 minutes into the candle of index 1100
    deps = { sessions: poolSessions(db.pool), source: replaySource(replay), now: () => now, seed: 7 };
  });

  const attempts = async () =>
    (await db.pool.query('select source, outcome, rows_written, rows_simulated, rows_quarantined, error from collection_attempts order by id')).rows;

  it('fetches only closed candles, then only what is missing, with features equal to a full recompute', async () => {
    const first = await collectCandles(deps, series);
    // An empty series starts with one page (1,000 candles) ending at the last closed candle.
    expect(first).toMatchObject({ outcome: 'real', written: 1000, simulated: 0, quarantined: 0 });
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv')).toBe(1000);

    for (let hour = 1; hour <= 5; hour++) {
      now += H;
      const before = replay.requests.length;
      expect(await collectCandles(deps, series)).toMatchObject({ outcome: 'real', written: 1 });
      expect(replay.requests.slice(before).map((r) => r.searchParams.get('startTime'))).toEqual([String(T0 + (1099 + hour) * H)]);
    }
    // The still-open candle (index 1105 at this clock) is not stored.
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, realThrough(100, now));
    expect((await attempts()).map((a) => a.outcome)).toEqual(['real', 'real', 'real', 'real', 'real', 'real']);
  });

  it('is idempotent: collecting again changes nothing, computed_at included', async () => {
    await collectCandles(deps, series);
    const before = await snapshot(db.pool, series);
    const requests = replay.requests.length;
    expect(await collectCandles(deps, series)).toMatchObject({ outcome: 'idle', written: 0 });
    expect(replay.requests.length).toBe(requests); // nothing had closed: nothing asked
    expect(await snapshot(db.pool, series)).toEqual(before);
    expect(await attempts()).toHaveLength(1);
  });

  it('falls back to flagged simulated candles on every kind of failure, then real candles replace them', async () => {
    await collectCandles(deps, series);
    const faults: [Fault, RegExp][] = [
      ['timeout', /timed? ?out/i],
      ['rate_limit', /429/],
      ['server_error', /500/],
      ['malformed', /not valid JSON/],
      ['empty', /no closed 1h candle/],
      ['reset', /fetch failed|socket|network/i],
    ];
    for (const [fault, message] of faults) {
      now += 3 * H;
      replay.fail(fault);
      const result = await collectCandles(deps, series);
      expect(result, fault).toMatchObject({ outcome: 'fallback', simulated: 3, written: 3 });
      expect(result.error).toMatch(message);
    }
    const simulatedKeys = await db.pool.query<{ ts: number; source: string }>(
      `select (extract(epoch from timestamp) * 1000)::float8 as ts, source from ml_features_ohlcv where is_simulated order by timestamp`,
    );
    // Every missing hour once, flagged, continuing the series without holes or duplicates.
    expect(simulatedKeys.rows.map((r) => r.ts)).toEqual(Array.from({ length: 18 }, (_, i) => T0 + (1100 + i) * H));
    expect(new Set(simulatedKeys.rows.map((r) => r.source))).toEqual(new Set(['simulated']));
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv')).toBe(1018);
    const recorded = await attempts();
    expect(recorded.slice(1)).toEqual(
      faults.map(() => expect.objectContaining({ source: 'binance', outcome: 'fallback', rows_simulated: 3, rows_written: 3, error: expect.any(String) })),
    );

    // The exchange answers again: its candles replace the simulated ones, features recomputed.
    const back = await collectCandles(deps, series);
    expect(back).toMatchObject({ outcome: 'real', replaced: 18, simulated: 0 });
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv where is_simulated')).toBe(0);
    expect(await count(db.pool, 'select 1 from simulated_replacements')).toBe(18);
    await expectStoredFeaturesMatchFullRecompute(db.pool, series, realThrough(100, now));
  });

  it('keeps a partial answer and simulates only what is still missing', async () => {
    await collectCandles(deps, series);
    now += 500 * H; // several pages are due
    deps.pageSize = 200;
    replay.fail('pass', 'server_error'); // the first page answers, the second does not
    const before = replay.requests.length;
    const result = await collectCandles(deps, series);
    expect(replay.requests.length - before).toBe(2);
    expect(result).toMatchObject({ outcome: 'fallback', simulated: 200 });
    // The 200 real candles that arrived are kept; simulation continues after them, for one page.
    expect(await count(db.pool, "select 1 from ml_features_ohlcv where source = 'binance'")).toBe(1200);
    const { rows } = await db.pool.query<{ first: number; last: number }>(
      `select (extract(epoch from min(timestamp)) * 1000)::float8 as first, (extract(epoch from max(timestamp)) * 1000)::float8 as last
       from ml_features_ohlcv where is_simulated`,
    );
    expect(rows[0]).toEqual({ first: T0 + 1300 * H, last: T0 + 1499 * H });
  });

  it('quarantines rows that break a rule and stores the rest', async () => {
    const bad = market.map((c, i) => (i === 1095 ? { ...c, high: c.open - 5 } : i === 1097 ? { ...c, volume: -1 } : c));
    replay.setKlines('BTCUSDT', '1h', klinesFromCandles(bad, H));
    try {
      const result = await collectCandles(deps, series);
      expect(result).toMatchObject({ outcome: 'real', quarantined: 2, written: 998 });
      const { rows } = await db.pool.query('select rule, (extract(epoch from timestamp) * 1000)::float8 as ts from ingest_quarantine order by timestamp');
      expect(rows).toEqual([
        { rule: 'high', ts: T0 + 1095 * H },
        { rule: 'volume', ts: T0 + 1097 * H },
      ]);
      expect(await count(db.pool, 'select 1 from ml_features_ohlcv where timestamp = any($1::timestamptz[])', [[new Date(T0 + 1095 * H), new Date(T0 + 1097 * H)]])).toBe(0);
      expect((await attempts())[0]).toMatchObject({ outcome: 'real', rows_quarantined: 2 });
    } finally {
      replay.setKlines('BTCUSDT', '1h', klinesFromCandles(market, H));
    }
  });

  it('fails without simulating when the exchange refuses the request itself', async () => {
    await collectCandles(deps, series);
    now += 2 * H;
    replay.fail('bad_symbol');
    const result = await collectCandles(deps, series);
    expect(result).toMatchObject({ outcome: 'failed', simulated: 0 });
    expect(result.error).toMatch(/Invalid symbol/);
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv where is_simulated')).toBe(0);
    expect((await attempts()).at(-1)).toMatchObject({ outcome: 'failed', rows_written: 0 });
  });

  it('fails without simulating when there is no price to continue from', async () => {
    replay.fail('server_error');
    const result = await collectCandles(deps, series);
    expect(result.outcome).toBe('failed');
    expect(result.error).toMatch(/no stored candle to continue from/);
    expect(await count(db.pool, 'select 1 from ml_features_ohlcv')).toBe(0);
  });

  it('stops asking a failing exchange while its circuit is open', async () => {
    await collectCandles(deps, series);
    deps.breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 10 * H, now: () => now });
    replay.fail('server_error', 'server_error');
    for (let i = 0; i < 2; i++) {
      now += H;
      expect((await collectCandles(deps, series)).outcome).toBe('fallback');
    }
    const requests = replay.requests.length;
    now += H;
    const skipped = await collectCandles(deps, series);
    expect(replay.requests.length).toBe(requests);
    expect(skipped).toMatchObject({ outcome: 'fallback', simulated: 1 });
    expect(skipped.error).toMatch(/circuit open/);

    now += 10 * H; // cooldown over: one trial request, which succeeds
    expect(await collectCandles(deps, series)).toMatchObject({ outcome: 'real', replaced: 3 });
    expect(deps.breaker.state).toBe('closed');
  });
});
