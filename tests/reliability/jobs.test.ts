import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgBoss } from 'pg-boss';
import { parseConfig } from '../../lib/config/env';
import { createPool } from '../../lib/db/pool';
import { createBoss, ensureQueues } from '../../lib/jobs/boss';
import { tuningFrom } from '../../lib/jobs/definitions';
import { reconcileRuns } from '../../lib/jobs/reconcile';
import { requestRuns } from '../../lib/jobs/runs';
import { SeriesBusy, withSeriesLock } from '../../lib/jobs/series-lock';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';

describe('jobs are never stuck and never run twice at once', () => {
  let db: TestDatabase;
  let boss: PgBoss;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    boss = createBoss(db.url, { supervise: false });
    await boss.start();
    await ensureQueues(boss, tuningFrom(parseConfig({})));
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false });
    await db?.drop();
  });

  const runOf = async (id: string) => (await db.pool.query('select status, error, finished_at from collection_runs where id = $1', [id])).rows[0];

  it('closes runs whose job failed, was cancelled or vanished, with the reason; leaves live and fresh ones alone', async () => {
    const [failed, cancelled, vanished, live, running, fresh] = await requestRuns(db.pool, boss, [
      { kind: 'candles', symbol: 'BTC/USDT', timeframe: '1h' },
      { kind: 'candles', symbol: 'ETH/USDT', timeframe: '1h' },
      { kind: 'candles', symbol: 'SOL/USDT', timeframe: '1h' },
      { kind: 'candles', symbol: 'BNB/USDT', timeframe: '1h' },
      { kind: 'labels', symbols: ['BTC/USDT'] },
      { kind: 'candles', symbol: 'BTC/USDT', timeframe: '4h' },
    ], 'admin');
    const jobOf = async (id: string) => (await db.pool.query('select job_id from collection_runs where id = $1', [id])).rows[0].job_id as string;
    // What the queue does on its own: a job out of retries, a cancellation, retention deleting a row.
    await db.pool.query(`update pgboss.job set state = 'failed', output = '{"message":"exchange said 418"}' where id = $1`, [await jobOf(failed!)]);
    await db.pool.query(`update pgboss.job set state = 'cancelled' where id = $1`, [await jobOf(cancelled!)]);
    await db.pool.query('delete from pgboss.job where id = $1', [await jobOf(vanished!)]);
    await db.pool.query(`update collection_runs set status = 'running', error = 'timeout' where id = $1`, [failed]);
    await db.pool.query(`update pgboss.job set state = 'active' where id = $1`, [await jobOf(running!)]);
    await db.pool.query(`update collection_runs set status = 'running' where id = $1`, [running]);
    await db.pool.query(`update collection_runs set created_at = now() - interval '5 minutes' where id <> $1`, [fresh]);
    await db.pool.query('delete from pgboss.job where id = $1', [await jobOf(fresh!)]); // young: may be mid-request

    const closed = await reconcileRuns(db.pool);
    expect(closed.map((run) => run.id).sort()).toEqual([failed, cancelled, vanished].sort());
    expect(await runOf(failed!)).toMatchObject({ status: 'failed', error: 'closed by the reconciler: the queue gave up on its job (exchange said 418); last error: timeout' });
    expect(await runOf(cancelled!)).toMatchObject({ status: 'cancelled', error: 'closed by the reconciler: its job was cancelled in the queue' });
    expect(await runOf(vanished!)).toMatchObject({ status: 'failed', error: 'closed by the reconciler: its job is no longer in the queue (deleted or expired)' });
    for (const id of [failed, cancelled, vanished]) expect((await runOf(id!)).finished_at).not.toBeNull();
    expect((await runOf(live!)).status).toBe('queued');
    expect((await runOf(running!)).status).toBe('running');
    expect((await runOf(fresh!)).status).toBe('queued');
    // Idempotent: a second pass finds nothing more to close.
    expect(await reconcileRuns(db.pool)).toEqual([]);
  });

  it('refuses a second concurrent execution of a series before it does any work', async () => {
    const pool = createPool(db.url, { max: 4 });
    try {
      let release!: () => void;
      const holding = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const first = withSeriesLock(pool, 'candles:BTC/USDT|1h', async () => {
        entered();
        await holding;
        return 'first';
      });
      await inside;
      let secondRan = false;
      await expect(withSeriesLock(pool, 'candles:BTC/USDT|1h', async () => (secondRan = true))).rejects.toThrow(SeriesBusy);
      expect(secondRan).toBe(false);
      // Another series is not held up.
      expect(await withSeriesLock(pool, 'candles:ETH/USDT|1h', async () => 'other')).toBe('other');
      release();
      expect(await first).toBe('first');
      expect(await withSeriesLock(pool, 'candles:BTC/USDT|1h', async () => 'after')).toBe('after');
    } finally {
      await pool.end();
    }
  });

  it('frees the lock when the holding worker connection dies (a killed worker never blocks a series for ever)', async () => {
    const pool = createPool(db.url, { max: 4, onError: () => {} });
    try {
      let pid = 0;
      const holder = withSeriesLock(pool, 'candles:SOL/USDT|1h', async () => {
        pid = (await db.pool.query(`select pid from pg_locks where locktype = 'advisory' and granted limit 1`)).rows[0].pid;
        await db.pool.query('select pg_terminate_backend($1)', [pid]);
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      await holder.catch(() => {});
      expect(pid).toBeGreaterThan(0);
      expect(await withSeriesLock(pool, 'candles:SOL/USDT|1h', async () => 'taken over')).toBe('taken over');
    } finally {
      await pool.end();
    }
  });
});
