import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { collectCandleSeries, type CollectorDeps } from '@/lib/ingest/collect';
import { poolSessions, type Session, type Sessions } from '@/lib/db/sql';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { expectStoredFeaturesMatchFullRecompute } from '../ingest/helpers';
import { klinesFromCandles, marketCandles, parsedCandles, startBinanceReplay, type BinanceReplay } from '../market/binance-replay';
import { scaleSource, scaleSymbols } from './markets';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const SYMBOLS = scaleSymbols(40);
const market = new Map(SYMBOLS.map((symbol, i) => [symbol, parsedCandles(klinesFromCandles(marketCandles(400, T0, H, 100 + i, 50 + i), H))]));

/** Sessions that count the statements run through them. */
function countingSessions(sessions: Sessions, tally: { statements: number }): Sessions {
  return (work) =>
    sessions((db) => {
      const counted: Session = { query: (sql, params) => ((tally.statements += 1), db.query(sql, params)) };
      return work(counted);
    });
}

describe('a collection cycle over many series (ccxt against a replayed Binance)', () => {
  let db: TestDatabase;
  let replay: BinanceReplay;
  let now: number;
  let deps: CollectorDeps;
  const cycle = async (count: number, tally = { statements: 0 }) => {
    const items = SYMBOLS.slice(0, count).map((symbol) => ({ symbol, timeframe: '1h', runId: null }));
    const results = await collectCandleSeries({ ...deps, sessions: countingSessions(deps.sessions, tally) }, items);
    return { results, statements: tally.statements };
  };

  beforeAll(async () => {
    db = await createMigratedDatabase();
    replay = await startBinanceReplay(() => now);
    for (const [symbol, candles] of market) replay.setKlines(symbol.replace('/', ''), '1h', klinesFromCandles(candles, H));
  });
  afterAll(async () => {
    await replay.close();
    await db.drop();
  });
  beforeEach(async () => {
    await db.pool.query('truncate ml_features_ohlcv, ml_engine_state, ingest_quarantine, simulated_replacements, collection_attempts');
    replay.clearFaults();
    now = T0 + 300 * H + 60_000;
    deps = { sessions: poolSessions(db.pool), source: scaleSource(replay, SYMBOLS), now: () => now, pageSize: 300, concurrency: 6 };
  });

  it('stores every series with a fixed number of statements, however many series there are', async () => {
    expect((await cycle(40)).results.every((r) => r.outcome === 'real' && r.written === 300)).toBe(true);
    now += H;
    const few = await cycle(5);
    const many = await cycle(40);
    expect(few.results.every((r) => r.outcome === 'real' && r.written === 1)).toBe(true);
    expect(many.results.slice(0, 5).every((r) => r.outcome === 'idle')).toBe(true);
    expect(many.results.slice(5).every((r) => r.outcome === 'real' && r.written === 1)).toBe(true);
    // Reading the series' ends, one transaction (locks, checkpoints, rows, one upsert, one
    // checkpoint write) and one insert of the attempts: the same count for 5 series and for 35.
    expect(many.statements).toBe(few.statements);
    for (const symbol of [SYMBOLS[0]!, SYMBOLS[39]!]) {
      // Continued from checkpoints: bit for bit the features of one uninterrupted computation.
      await expectStoredFeaturesMatchFullRecompute(db.pool, { symbol, timeframe: '1h' }, market.get(symbol)!.slice(0, 301), 0);
    }
    const { rows } = await db.pool.query('select outcome, count(*)::int as n from collection_attempts group by outcome');
    expect(rows).toEqual([{ outcome: 'real', n: 80 }]);
  });

  it('a failing request falls back for its own series only; the others store real candles', async () => {
    await cycle(40);
    now += 2 * H;
    replay.fail('server_error');
    const { results } = await cycle(40);
    expect(results.filter((r) => r.outcome === 'fallback')).toHaveLength(1);
    expect(results.filter((r) => r.outcome === 'real')).toHaveLength(39);
    const fallback = results.find((r) => r.outcome === 'fallback')!;
    expect(fallback).toMatchObject({ written: 2, simulated: 2 });
    expect((await db.pool.query('select count(*)::int as n from ml_features_ohlcv where is_simulated')).rows[0].n).toBe(2);
    // The next cycle replaces the stand-ins with the real candles.
    now += 60_000;
    const next = await cycle(40);
    expect(next.results.filter((r) => r.outcome === 'real' && r.replaced === 2)).toHaveLength(1);
    expect((await db.pool.query('select count(*)::int as n from ml_features_ohlcv where is_simulated')).rows[0].n).toBe(0);
  });
});
