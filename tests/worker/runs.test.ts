import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgBoss } from 'pg-boss';
import { parseConfig } from '../../lib/config/env';
import { recordAttempt } from '../../lib/ingest/attempts';
import { createBoss, ensureQueues } from '../../lib/jobs/boss';
import { tuningFrom } from '../../lib/jobs/definitions';
import { createPrisma, type PrismaClient } from '../../lib/db/prisma';
import { cancelRun, listRuns, requestRuns, RunNotCancellable } from '../../lib/jobs/runs';
import { withSession } from '@/lib/db/sql';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';

describe('runs: queuing, cancelling, listing', () => {
  let db: TestDatabase;
  let boss: PgBoss;
  let prisma: PrismaClient;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    prisma = createPrisma(db.url);
    boss = createBoss(db.url, { supervise: false });
    await boss.start();
    await ensureQueues(boss, tuningFrom(parseConfig({})));
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false });
    await prisma?.$disconnect();
    await db?.drop();
  });

  it('records each run with its queued job in one transaction', async () => {
    const [id] = await requestRuns(db.pool, boss, [{ kind: 'candles', symbol: 'BTC/USDT', timeframe: '1h' }], 'admin');
    const { rows: [run] } = await db.pool.query('select status, job_id, requested_by from collection_runs where id = $1', [id]);
    expect(run).toMatchObject({ status: 'queued', requested_by: 'admin' });
    const job = await boss.getJobById('collect-candles', run.job_id);
    expect(job).toMatchObject({ state: 'created', singletonKey: 'BTC/USDT|1h', data: { runId: id, kind: 'candles', symbol: 'BTC/USDT', timeframe: '1h' } });
  });

  it('queues nothing when any request in the batch fails', async () => {
    const before = (await db.pool.query('select count(*)::int as n from collection_runs')).rows[0].n;
    const jobsBefore = (await db.pool.query('select count(*)::int as n from pgboss.job')).rows[0].n;
    // Each request is parsed with its kind's schema before anything is written.
    await expect(requestRuns(db.pool, boss, [{ kind: 'retention' }, { kind: 'bogus' }], 'admin')).rejects.toThrow(/unknown job kind "bogus"/);
    await expect(requestRuns(db.pool, boss, [{ kind: 'retention' }, { kind: 'candles', symbol: 'BTC/USDT', timeframe: '7m' }], 'admin')).rejects.toThrow(/^candles run: timeframe: one of 1m/);
    // The queue refusing a job mid-batch (a closed connection) takes the runs written before it back.
    const failing = { ...boss, send: async (...args: Parameters<PgBoss['send']>) => (args[0] === 'generate-labels' ? null : boss.send(...args)) } as PgBoss;
    await expect(requestRuns(db.pool, failing, [{ kind: 'retention' }, { kind: 'labels', symbols: ['BTC/USDT'] }], 'admin')).rejects.toThrow(/refused the labels job/);
    expect((await db.pool.query('select count(*)::int as n from collection_runs')).rows[0].n).toBe(before);
    expect((await db.pool.query('select count(*)::int as n from pgboss.job')).rows[0].n).toBe(jobsBefore);
  });

  it('cancels a queued run and its job; a cancelled run cannot be cancelled again', async () => {
    const [id] = await requestRuns(db.pool, boss, [{ kind: 'labels', symbols: ['BTC/USDT'] }], 'admin');
    await cancelRun(prisma, boss, id!);
    const { rows: [run] } = await db.pool.query('select status, job_id, finished_at from collection_runs where id = $1', [id]);
    expect(run.status).toBe('cancelled');
    expect(run.finished_at).not.toBeNull();
    expect((await boss.getJobById('generate-labels', run.job_id))?.state).toBe('cancelled');
    await expect(cancelRun(prisma, boss, id!)).rejects.toThrow(RunNotCancellable);
    await expect(cancelRun(prisma, boss, '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ kind: 'not_found', message: /no run/ });
  });

  it('lists runs newest first with per-source attempts, real successes, fallbacks and simulated rows', async () => {
    const [id] = await requestRuns(db.pool, boss, [{ kind: 'candles', symbol: 'ETH/USDT', timeframe: '4h' }], 'schedule');
    await withSession(db.pool, async (client) => {
      const executor = client;
      const base = { runId: id!, symbol: 'ETH/USDT', timeframe: '4h', startedAt: 1, finishedAt: 2, rowsQuarantined: 0 };
      await recordAttempt(executor, { ...base, source: 'binance', outcome: 'real', rowsWritten: 10, rowsSimulated: 0 });
      await recordAttempt(executor, { ...base, source: 'binance', outcome: 'fallback', rowsWritten: 3, rowsSimulated: 3, error: 'timeout' });
      await recordAttempt(executor, { ...base, source: 'kraken', outcome: 'failed', rowsWritten: 0, rowsSimulated: 0, error: 'rejected' });
    });
    const [newest] = await listRuns(db.pool, { limit: 1 });
    expect(newest).toMatchObject({
      id, kind: 'candles', symbol: 'ETH/USDT', timeframe: '4h', status: 'queued', requestedBy: 'schedule',
      sources: [
        { source: 'binance', attempts: 2, real: 1, fallback: 1, failed: 0, simulatedRows: 3 },
        { source: 'kraken', attempts: 1, real: 0, fallback: 0, failed: 1, simulatedRows: 0 },
      ],
    });
    const page = await listRuns(db.pool, { limit: 2, before: newest!.createdAt });
    expect(page.every((run) => run.createdAt < newest!.createdAt)).toBe(true);
  });
});
