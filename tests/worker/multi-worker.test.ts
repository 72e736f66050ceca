import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRuns } from '../../lib/jobs/runs';
import { serveMarket } from './exchange-server';
import { scaleSymbols } from './markets';
import { startWorkerHarness, waitFor, type WorkerHarness } from './processes';

const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT'];
const TIMEFRAMES = ['15m', '1h', '4h'];
// Small batches, so that 24 jobs are enough for both workers to take some.
const ENV = { WORKER_HEARTBEAT_SECONDS: '10', WORKER_RETRY_DELAY_SECONDS: '1', WORKER_CONCURRENCY: '2', WORKER_BATCH_SIZE: '3' };

describe('two worker processes on one database', () => {
  let harness: WorkerHarness;
  beforeAll(async () => {
    harness = await startWorkerHarness(ENV);
  });
  afterAll(() => harness?.close());

  it('share the work and run every job exactly once', async () => {
    const { db, exchange, boss } = harness;
    const served = serveMarket(exchange.replay, SYMBOLS, TIMEFRAMES, 300);
    const workers = [harness.spawn({ EXCHANGE_TIMEOUT_MS: '5000' }), harness.spawn({ EXCHANGE_TIMEOUT_MS: '5000' })];
    await Promise.all(workers.map((w) => w.ready));

    const requests = SYMBOLS.flatMap((symbol) => TIMEFRAMES.map((timeframe) => ({ kind: 'candles' as const, symbol, timeframe })));
    // Each series twice: the second run of a series must wait for the first (one collection per series at a time).
    const ids = await requestRuns(db.pool, boss, [...requests, ...requests], 'admin');
    expect(ids).toHaveLength(24);

    const runs = await waitFor('every run to finish', async () => {
      const { rows } = await db.pool.query('select id, symbol, timeframe, status, attempts, worker, started_at, finished_at, error from collection_runs');
      return rows.every((r) => ['succeeded', 'failed'].includes(r.status)) ? rows : null;
    }, 120_000);

    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
    expect(runs.every((r) => r.attempts === 1)).toBe(true);
    expect(new Set(runs.map((r) => r.worker)).size).toBe(2);

    // The queue agrees: every job completed once, none retried.
    const { rows: jobs } = await db.pool.query("select state, retry_count from pgboss.job where name = 'collect-candles'");
    expect(jobs).toHaveLength(24);
    expect(jobs.every((j) => j.state === 'completed' && j.retry_count === 0)).toBe(true);

    // Runs of the same series never overlapped in time.
    for (const request of requests) {
      const [a, b] = runs.filter((r) => r.symbol === request.symbol && r.timeframe === request.timeframe).sort((x, y) => x.started_at - y.started_at);
      expect(b!.started_at.getTime()).toBeGreaterThanOrEqual(a!.finished_at.getTime());
    }

    // One attempt recorded per run, and every served candle stored once, real.
    const { rows: attempts } = await db.pool.query('select run_id, outcome from collection_attempts');
    expect(attempts.filter((a) => a.outcome === 'real')).toHaveLength(12);
    const { rows: stored } = await db.pool.query(
      "select symbol, timeframe, count(*)::int as n, count(*) filter (where is_simulated)::int as simulated from ml_features_ohlcv group by 1, 2",
    );
    for (const [key, candles] of served) {
      const [symbol, timeframe] = key.split('|');
      expect(stored.find((s) => s.symbol === symbol && s.timeframe === timeframe)).toEqual({ symbol, timeframe, n: candles.length, simulated: 0 });
    }
  }, 180_000);
});

describe('three worker processes on one server database, 1,000 series', () => {
  const symbols = scaleSymbols(250);
  const timeframes = ['5m', '15m', '1h', '4h'];
  let harness: WorkerHarness;
  beforeAll(async () => {
    harness = await startWorkerHarness({ ...ENV, WORKER_BATCH_SIZE: '100' }, symbols);
  });
  afterAll(() => harness?.close());

  it('split the series between them with no series done twice and nothing lost', async () => {
    const { db, exchange, boss } = harness;
    const served = serveMarket(exchange.replay, symbols, timeframes, 20);
    const workers = [0, 1, 2].map(() => harness.spawn({ EXCHANGE_TIMEOUT_MS: '20000', EXCHANGE_CONCURRENCY: '8' }));
    await Promise.all(workers.map((w) => w.ready));

    const requests = symbols.flatMap((symbol) => timeframes.map((timeframe) => ({ kind: 'candles' as const, symbol, timeframe })));
    expect(await requestRuns(db.pool, boss, requests, 'admin')).toHaveLength(1_000);
    const runs = await waitFor('all 1,000 runs to finish', async () => {
      const { rows } = await db.pool.query('select symbol, timeframe, status, attempts, worker from collection_runs');
      return rows.every((r) => ['succeeded', 'failed'].includes(r.status)) ? rows : null;
    }, 300_000, 1_000);

    expect(runs.filter((r) => r.status !== 'succeeded')).toEqual([]);
    expect(runs.every((r) => r.attempts === 1)).toBe(true);
    // Every worker took a share.
    expect(new Set(runs.map((r) => r.worker)).size).toBe(3);
    const { rows: jobs } = await db.pool.query("select count(*)::int as n from pgboss.job where name = 'collect-candles' and (state <> 'completed' or retry_count > 0)");
    expect(jobs[0].n).toBe(0);
    // One attempt per series, and exactly the served candles stored, real, once.
    const { rows: attempts } = await db.pool.query("select symbol, timeframe, count(*)::int as n from collection_attempts where outcome = 'real' group by 1, 2");
    expect(attempts).toHaveLength(1_000);
    expect(attempts.every((a) => a.n === 1)).toBe(true);
    const { rows: stored } = await db.pool.query('select symbol, timeframe, count(*)::int as n, bool_or(is_simulated) as simulated from ml_features_ohlcv group by 1, 2');
    expect(stored).toHaveLength(1_000);
    for (const row of stored) expect({ n: row.n, simulated: row.simulated }).toEqual({ n: served.get(`${row.symbol}|${row.timeframe}`)!.length, simulated: false });
  }, 420_000);
});
