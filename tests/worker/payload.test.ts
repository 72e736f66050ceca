import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../lib/config/env';
import { hasOpenRun } from '../../lib/jobs/runs';
import { startWorker, type RunningWorker } from '../../lib/jobs/worker';
import type { CandleSource } from '../../lib/market/source';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { waitFor } from './processes';

/**
 * A job whose payload does not parse (sent by an older version, or by hand) must fail its run with
 * the reason at once: left queued, it would hold back its series from the schedule for ever.
 */
describe('the worker reading its jobs', () => {
  let db: TestDatabase;
  let worker: RunningWorker;
  const fetched: string[] = [];
  const source: CandleSource = {
    id: 'never-asked',
    async fetchCandles(symbol) {
      fetched.push(symbol);
      return [];
    },
  };

  beforeAll(async () => {
    db = await createMigratedDatabase();
    const cfg = parseConfig({ DATABASE_URL: db.url, WORKER_SCHEDULE: 'false', WORKER_RETRY_LIMIT: '0', TRACKED_TIMEFRAMES: '1h,4h' });
    worker = await startWorker({ cfg, databaseUrl: db.url, source, log: () => {} });
  }, 60_000);
  afterAll(async () => {
    await worker?.stop();
    await db?.drop();
  });

  /** A run row and its job, written as a broken sender would: no schema between them. */
  async function sendRaw(queue: string, kind: string, data: Record<string, unknown>, symbol: string | null = null, timeframe: string | null = null) {
    const runId = randomUUID();
    await db.pool.query("insert into collection_runs (id, kind, symbol, timeframe, requested_by) values ($1, $2, $3, $4, 'cli')", [runId, kind, symbol, timeframe]);
    const jobId = await worker.boss.send(queue, { runId, kind, ...data });
    await db.pool.query('update collection_runs set job_id = $2 where id = $1', [runId, jobId]);
    return runId;
  }

  const finished = (runId: string) =>
    waitFor(`run ${runId} to finish`, async () => {
      const { rows } = await db.pool.query('select status, attempts, error, finished_at from collection_runs where id = $1', [runId]);
      return ['succeeded', 'failed'].includes(rows[0]?.status) ? rows[0] : null;
    }, 30_000);

  it('marks a run whose payload does not parse failed with what was wrong, without running or retrying it', async () => {
    const runId = await sendRaw('collect-candles', 'candles', { symbol: 'btc-usdt', timeframe: '1h' }, 'btc-usdt', '1h');
    const run = await finished(runId);
    expect(run).toMatchObject({ status: 'failed', attempts: 0 });
    expect(run.error).toMatch(/^payload does not parse: symbol: a pair such as BTC\/USDT/);
    expect(run.finished_at).not.toBeNull();
    expect(fetched).toEqual([]);
    expect(await hasOpenRun(db.pool, 'candles', 'btc-usdt', '1h')).toBe(false);
  });

  it('fails a run of a kind this version does not know', async () => {
    const run = await finished(await sendRaw('generate-labels', 'relabel-everything', { symbols: ['BTC/USDT'] }));
    expect(run).toMatchObject({ status: 'failed', error: 'unknown job kind "relabel-everything"' });
  });

  it("turns a schedule tick into one run per tracked series, from the kind's own schedule", async () => {
    await worker.boss.send('schedule-tick', { kind: 'candles', key: 'candles-4h' });
    await worker.boss.send('schedule-tick', { kind: 'candles', key: 'candles-7m' }); // not in this configuration: nothing
    const runs = await waitFor('the scheduled runs', async () => {
      const { rows } = await db.pool.query("select kind, symbol, timeframe from collection_runs where requested_by = 'schedule' order by symbol");
      return rows.length >= 4 ? rows : null;
    }, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // the second tick has had its turn
    expect(await db.pool.query("select count(*)::int as n from collection_runs where requested_by = 'schedule'")).toMatchObject({ rows: [{ n: 4 }] });
    expect(runs).toEqual(['BNB/USDT', 'BTC/USDT', 'ETH/USDT', 'SOL/USDT'].map((symbol) => ({ kind: 'candles', symbol, timeframe: '4h' })));
  });

  it('still runs a well-formed job after the broken ones', async () => {
    const run = await finished(await sendRaw('apply-retention', 'retention', {}));
    expect(run).toMatchObject({ status: 'succeeded', attempts: 1, error: null });
  });
});
