import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestRuns } from '../../lib/jobs/runs';
import { serveMarket } from './exchange-server';
import { startWorkerHarness, waitFor, type WorkerHarness } from './processes';

const ENV = { WORKER_HEARTBEAT_SECONDS: '10', WORKER_RETRY_DELAY_SECONDS: '1', WORKER_CONCURRENCY: '1' };
const HOUR = 3_600_000;

describe('a worker killed (SIGKILL) in the middle of a backfill', () => {
  let harness: WorkerHarness;
  beforeAll(async () => {
    harness = await startWorkerHarness(ENV);
  });
  afterAll(() => harness?.close());

  it('is retried by another worker and leaves no duplicates and no gaps', async () => {
    const { db, exchange, boss } = harness;
    const served = serveMarket(exchange.replay, ['ETH/USDT'], ['1h'], 3000).get('ETH/USDT|1h')!;
    exchange.delayMs = 1500; // 3 pages of 1,000: long enough to interrupt between pages
    const first = harness.spawn();
    await first.ready;

    const [runId] = await requestRuns(db.pool, boss, [{ kind: 'backfill', symbol: 'ETH/USDT', timeframe: '1h', since: served[0]!.timestamp }], 'admin');
    await waitFor('the first page to be stored', async () => {
      const { rows } = await db.pool.query("select count(*)::int as n from ml_features_ohlcv where symbol = 'ETH/USDT'");
      return rows[0].n > 0 && rows[0].n < served.length;
    });
    first.child.kill('SIGKILL');
    await first.exited;
    const { rows: [midway] } = await db.pool.query('select status, attempts from collection_runs where id = $1', [runId]);
    expect(midway).toEqual({ status: 'running', attempts: 1 });

    exchange.delayMs = 0;
    const second = harness.spawn();
    await second.ready;
    const run = await waitFor('the retried run to finish', async () => {
      const { rows } = await db.pool.query('select status, attempts, worker, progress, error from collection_runs where id = $1', [runId]);
      return ['succeeded', 'failed'].includes(rows[0].status) ? rows[0] : null;
    }, 120_000);
    expect(run).toMatchObject({ status: 'succeeded', attempts: 2, progress: 1 });

    const { rows: [check] } = await db.pool.query(`
      select count(*)::int as n, count(distinct timestamp)::int as distinct_n,
             min(timestamp) as first, max(timestamp) as last,
             count(*) filter (where gap <> interval '1 hour')::int as gaps,
             count(*) filter (where is_simulated)::int as simulated
      from (select timestamp, is_simulated, timestamp - lag(timestamp) over (order by timestamp) as gap
            from ml_features_ohlcv where symbol = 'ETH/USDT' and timeframe = '1h') s`);
    expect(check).toMatchObject({ n: served.length, distinct_n: served.length, gaps: 0, simulated: 0 });
    expect(check.first.getTime()).toBe(served[0]!.timestamp);
    expect(check.last.getTime()).toBe(served.at(-1)!.timestamp);
    expect(served.at(-1)!.timestamp - served[0]!.timestamp).toBe((served.length - 1) * HOUR);
  }, 180_000);
});
