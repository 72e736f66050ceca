import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRuns } from '../../lib/jobs/runs';
import { serveMarket } from '../worker/exchange-server';
import { startWorkerHarness, waitFor, type WorkerHarness } from '../worker/processes';
import { sleep } from './product';

/**
 * Issue #15, item 3, with real processes: a worker frozen (SIGSTOP) in the middle of a backfill
 * stops heart-beating, pg-boss hands its job to another worker process, and that one must refuse
 * to start the same backfill while the first still holds the series; once thawed, the first
 * finishes it, and the backfill has happened exactly once.
 */
// 10 s is pg-boss's (and WORKER_HEARTBEAT_SECONDS's) shortest heartbeat; the supervisor checks every 5 s.
// A long exchange timeout: the frozen worker's in-flight request must not time out when it thaws.
const ENV = { WORKER_HEARTBEAT_SECONDS: '10', WORKER_RETRY_DELAY_SECONDS: '1', WORKER_RETRY_LIMIT: '10', WORKER_CONCURRENCY: '1', EXCHANGE_TIMEOUT_MS: '120000' };
const HOUR = 3_600_000;

describe('a worker frozen mid-backfill until its heartbeat lapses', () => {
  let harness: WorkerHarness;
  beforeAll(async () => {
    harness = await startWorkerHarness(ENV);
  });
  afterAll(() => harness?.close());

  it('is not joined by a second execution; thawed, it completes the backfill exactly once', async () => {
    const { db, exchange, boss } = harness;
    const served = serveMarket(exchange.replay, ['ETH/USDT'], ['1h'], 4000).get('ETH/USDT|1h')!;
    exchange.delayMs = 1500; // 4 pages of 1,000: long enough to freeze between pages
    const first = harness.spawn();
    await first.ready;
    const firstId = first.output().match(/worker (\S+) started/)![1];

    const [runId] = await requestRuns(db.pool, boss, [{ kind: 'backfill', symbol: 'ETH/USDT', timeframe: '1h', since: served[0]!.timestamp }], 'admin');
    const stored = async () => (await db.pool.query("select count(*)::int as n from ml_features_ohlcv where symbol = 'ETH/USDT'")).rows[0].n as number;
    await waitFor('the first page to be stored', async () => {
      const n = await stored();
      return n > 0 && n < served.length;
    });
    first.child.kill('SIGSTOP');
    try {
      const second = harness.spawn();
      await second.ready;
      const secondFrom = second.output().length;
      await sleep(1000); // a request the first sent just before it froze has arrived by now
      const klinesWhileFrozen = exchange.klineRequests();
      const storedWhileFrozen = await stored();
      const { rows: [job0] } = await db.pool.query('select id, retry_count from pgboss.job where id::text = (select job_id from collection_runs where id = $1)', [runId]);

      // The heartbeat lapses (10 s) and the queue hands the job to the second worker, which either
      // refuses it (the series is held) or, without the lock check, starts the backfill again.
      const runOf = async () => (await db.pool.query('select status, attempts, worker from collection_runs where id = $1', [runId])).rows[0];
      const busyLine = new RegExp(`worker: job ${job0.id} on collect-candles: another execution of series:ETH/USDT\\|1h is still running; this one will retry later`);
      await waitFor('the job to reach the second worker', async () => busyLine.test(second.output().slice(secondFrom)) || (await runOf()).attempts > 1 || exchange.klineRequests() > klinesWhileFrozen, 90_000);
      await sleep(5000); // long enough for a second execution to load ccxt and ask for its first page

      // Nothing ran beside the frozen execution: no request to the exchange, no row, the run untouched.
      expect(exchange.klineRequests()).toBe(klinesWhileFrozen);
      expect(await stored()).toBe(storedWhileFrozen);
      expect(await runOf()).toEqual({ status: 'running', attempts: 1, worker: firstId });
      // The second said why, and the queue will retry the job later.
      expect(second.output().slice(secondFrom)).toMatch(busyLine);
      const { rows: [job] } = await db.pool.query('select retry_count from pgboss.job where id = $1', [job0.id]);
      expect(job.retry_count).toBeGreaterThan(job0.retry_count);
    } finally {
      exchange.delayMs = 0;
      first.child.kill('SIGCONT');
    }

    const run = await waitFor('the thawed backfill to finish', async () => {
      const { rows } = await db.pool.query('select status, attempts, worker, progress, error, rows_written, finished_at from collection_runs where id = $1', [runId]);
      return ['succeeded', 'failed'].includes(rows[0].status) ? rows[0] : null;
    }, 120_000);
    expect(run).toMatchObject({ status: 'succeeded', attempts: 1, worker: firstId, progress: 1, error: null, rows_written: served.length });
    expect(run.finished_at).not.toBeNull();
    // The queue's remaining retry finds the run finished and completes the job without redoing it.
    await waitFor('the job to complete', async () => {
      const { rows } = await db.pool.query("select state from pgboss.job where id::text = (select job_id from collection_runs where id = $1)", [runId]);
      return rows[0].state === 'completed' ? true : null;
    }, 120_000);
    const { rows: [after] } = await db.pool.query('select status, attempts, rows_written from collection_runs where id = $1', [runId]);
    expect(after).toEqual({ status: 'succeeded', attempts: 1, rows_written: served.length });

    // Every page was asked for once: the backfill ran exactly once.
    const pages = exchange.replay.requests.filter((url) => url.pathname === '/api/v3/klines').map((url) => url.searchParams.get('startTime'));
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expect(new Set(pages).size).toBe(pages.length);

    // Every candle once, no gap, features computed for all of them.
    const { rows: [check] } = await db.pool.query(`
      select count(*)::int as n, count(distinct timestamp)::int as distinct_n,
             min(timestamp) as first, max(timestamp) as last,
             count(*) filter (where gap <> interval '1 hour')::int as gaps,
             count(*) filter (where is_simulated)::int as simulated,
             count(rsi)::int as with_rsi
      from (select timestamp, is_simulated, rsi, timestamp - lag(timestamp) over (order by timestamp) as gap
            from ml_features_ohlcv where symbol = 'ETH/USDT' and timeframe = '1h') s`);
    expect(check).toMatchObject({ n: served.length, distinct_n: served.length, gaps: 0, simulated: 0, with_rsi: served.length - 14 });
    expect(check.first.getTime()).toBe(served[0]!.timestamp);
    expect(check.last.getTime()).toBe(served.at(-1)!.timestamp);
    expect(served.at(-1)!.timestamp - served[0]!.timestamp).toBe((served.length - 1) * HOUR);
  }, 300_000);
});
