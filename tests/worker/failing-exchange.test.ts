import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCandles } from '../../lib/ingest/collect';
import { poolSessions } from '@/lib/db/sql';
import { CircuitBreaker } from '../../lib/market/circuit-breaker';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { replaySource, startBinanceReplay, type BinanceReplay } from '../market/binance-replay';
import { serveMarket } from './exchange-server';

describe('the exchange answers with errors 1,000 times in a row', () => {
  let db: TestDatabase;
  let replay: BinanceReplay;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    replay = await startBinanceReplay();
  });
  afterAll(async () => {
    await replay?.close();
    await db?.drop();
  });

  it('does not crash or grow memory, records every fallback, and the circuit breaker stops the hammering', async () => {
    const now = Date.now();
    serveMarket(replay, ['BTC/USDT'], ['1h'], 200, now - 3 * 3_600_000);
    const source = replaySource(replay, 500);
    const sessions = poolSessions(db.pool);
    const breaker = new CircuitBreaker({ failureThreshold: 5, cooldownMs: 60_000, now: () => now });
    const series = { symbol: 'BTC/USDT', timeframe: '1h' };

    // History first (the source is healthy), so a fallback has a price to continue from.
    expect((await collectCandles({ sessions, source, breaker, now: () => now }, series)).outcome).toBe('real');
    const requestsBefore = replay.requests.length;
    replay.fail(...Array.from({ length: 1000 }, () => 'server_error' as const));

    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 1000; i++) {
      const result = await collectCandles({ sessions, source, breaker, now: () => now }, series);
      outcomes.set(result.outcome, (outcomes.get(result.outcome) ?? 0) + 1);
    }
    global.gc?.();
    const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;

    expect(outcomes).toEqual(new Map([['fallback', 1000]]));
    expect(breaker.state).toBe('open');
    // Five failures open the circuit; after that nothing is sent until the cooldown ends.
    expect(replay.requests.length - requestsBefore).toBe(5);
    expect(heapGrowthMb).toBeLessThan(64);

    const { rows } = await db.pool.query(
      "select outcome, count(*)::int as n, count(*) filter (where error like '%circuit open%')::int as short_circuited from collection_attempts group by outcome order by outcome",
    );
    expect(rows).toEqual([
      { outcome: 'fallback', n: 1000, short_circuited: 995 },
      { outcome: 'real', n: 1, short_circuited: 0 },
    ]);
    // The missing closed candles were simulated once, flagged, never duplicated by the 999 later attempts.
    const { rows: [stored] } = await db.pool.query(
      "select count(*)::int as n, count(distinct timestamp)::int as distinct_n, count(*) filter (where is_simulated)::int as simulated from ml_features_ohlcv",
    );
    expect(stored).toEqual({ n: 203, distinct_n: 203, simulated: 3 });
  }, 180_000);
});
