import { hostname } from 'node:os';
import type pg from 'pg';
import type { Job, PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { AppConfig } from '../config/env';
import { createPool } from '../db/pool';
import { poolSessions } from '@/lib/db/sql';
import { CircuitBreaker } from '../market/circuit-breaker';
import { createExchangeSource } from '../market/exchange';
import type { CandleSource } from '../market/source';
import { parseSentimentConfig, sourceBreakers } from '../sentiment';
import { createBoss, ensureQueues } from './boss';
import { zodMessage } from '../zod/message';
import { TICK_QUEUE, tickJobSchema, tuningFrom, type TickJob } from './definitions';
import { RunFailed, type JobContext } from './kind';
import { findJobKind, JOB_KINDS, JOB_QUEUES } from './kinds';
import { finishRun, startRun } from './lifecycle';
import { startReconciler } from './reconcile';
import { hasOpenRun, requestRuns, type RunRequest } from './runs';
import { withSeriesLock } from './series-lock';

export interface WorkerOptions {
  cfg: AppConfig;
  databaseUrl: string;
  /** The exchange source; built from the configuration by default. */
  source?: CandleSource;
  log?: (line: string) => void;
}

export interface RunningWorker {
  id: string;
  boss: PgBoss;
  stop(): Promise<void>;
}

const runIdSchema = z.object({ runId: z.uuid() });

/**
 * Runs one job of a run: checks its payload, marks it running, does the work, records the result.
 * A payload that does not parse (sent by an older version, or by hand) fails its run at once with
 * the reason: retrying cannot fix it, and a run left queued would hold back its series for ever.
 * A failure of the work is recorded and rethrown so pg-boss retries with exponential backoff;
 * after the last retry the run is `failed`. If the database is away even for the bookkeeping, the
 * job stays active in the queue and is retried when its heartbeat lapses: nothing is half-written,
 * because every batch is one transaction. A retry whose first execution is still running (its
 * heartbeat lapsed while the database was frozen) finds the series locked and waits its turn.
 */
async function executeRun(pool: pg.Pool, workerId: string, context: JobContext, job: Job<unknown> & { retryLimit?: number }, log: (line: string) => void): Promise<void> {
  const ids = runIdSchema.safeParse(job.data);
  if (!ids.success) {
    log(`worker: job ${job.id} on ${job.name} has no run id; dropped (${JSON.stringify(job.data)?.slice(0, 200)})`);
    return;
  }
  const { runId } = ids.data;
  const data = job.data as Record<string, unknown>;
  const kind = findJobKind(data.kind);
  const payload = kind?.payload.safeParse(data);
  if (!kind || !payload?.success) {
    const reason = kind ? `payload does not parse: ${zodMessage(payload!.error!)}` : `unknown job kind ${JSON.stringify(data.kind)}`;
    await finishRun(pool, runId, 'failed', { error: reason });
    return;
  }
  const series = kind.series?.(payload.data);
  // Checked before anything is marked or written: one execution per series (or per kind) at a time.
  const lockKey = series ? `series:${series.symbol}|${series.timeframe}` : `kind:${kind.id}`;
  await withSeriesLock(pool, lockKey, async () => {
    if (!(await startRun(pool, runId, workerId))) return; // cancelled or finished meanwhile
    try {
      const result = await kind.handle(context, payload.data, runId);
      await finishRun(pool, runId, 'succeeded', result);
    } catch (error) {
      const last = job.retryCount >= (job.retryLimit ?? 0);
      const counts = error instanceof RunFailed ? error.result : {};
      await finishRun(pool, runId, last ? 'failed' : 'retrying', { ...counts, error: (error as Error).message }).catch(() => {});
      throw error;
    }
  });
}

/** The schedule's tick: the runs of one schedule entry, skipping any identical one still waiting. */
async function runTick(pool: pg.Pool, boss: PgBoss, cfg: AppConfig, tick: TickJob): Promise<void> {
  const kind = findJobKind(tick.kind);
  const entry = kind?.schedule?.(cfg).find((e) => e.key === tick.key);
  if (!kind || !entry) return; // a schedule of an older configuration: nothing to do
  const requests: RunRequest[] = [];
  for (const payload of entry.payloads) {
    const series = kind.series?.(kind.payload.parse(payload)) ?? null;
    if (!(await hasOpenRun(pool, kind.id, series?.symbol ?? null, series?.timeframe ?? null))) requests.push({ kind: kind.id, ...payload });
  }
  if (requests.length) await requestRuns(pool, boss, requests, 'schedule');
}

async function installSchedules(boss: PgBoss, cfg: AppConfig): Promise<void> {
  for (const kind of JOB_KINDS) {
    for (const { key, cron } of kind.schedule?.(cfg) ?? []) {
      const tick: TickJob = { kind: kind.id, key };
      await boss.schedule(TICK_QUEUE, cron, tick, { key, tz: 'UTC' });
    }
  }
}

export async function startWorker({ cfg, databaseUrl, source, log = console.log }: WorkerOptions): Promise<RunningWorker> {
  const id = `${hostname()}:${process.pid}`;
  // Validated before anything starts: a bad source setting stops the worker with its name.
  const sentiment = parseSentimentConfig();
  // No statement timeout: backfills and retention legitimately run long; a silent server still fails them.
  // Two connections per job at a time: an execution holds its series lock on one and works on others.
  const pool = createPool(databaseUrl, { max: cfg.WORKER_CONCURRENCY * 2 + 2, queryTimeoutMs: 10 * 60_000, onError: (error) => log(`worker: database connection lost: ${error.message}`) });
  const tuning = tuningFrom(cfg);
  const boss = createBoss(databaseUrl, { schedule: cfg.WORKER_SCHEDULE, heartbeatSeconds: tuning.heartbeatSeconds });
  await boss.start();
  await ensureQueues(boss, tuning);

  const context: JobContext = {
    cfg,
    pool,
    sessions: poolSessions(pool),
    source: source ?? createExchangeSource({ exchangeId: cfg.EXCHANGE_ID, apiBaseUrl: cfg.EXCHANGE_API_URL, timeoutMs: cfg.EXCHANGE_TIMEOUT_MS }),
    breaker: new CircuitBreaker({ failureThreshold: 5, cooldownMs: 60_000 }),
    sentiment,
    sentimentBreakers: sourceBreakers({ failureThreshold: 3, cooldownMs: 5 * 60_000 }),
  };
  const workOptions = { localConcurrency: cfg.WORKER_CONCURRENCY, pollingIntervalSeconds: 1, includeMetadata: true } as const;

  for (const queue of JOB_QUEUES) {
    await boss.work(queue, workOptions, async (jobs) => {
      for (const job of jobs) await executeRun(pool, id, context, job, log);
    });
  }
  await boss.work(TICK_QUEUE, { pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) {
      // A tick of an older version's schedule is replaced when this worker installs its own.
      const tick = tickJobSchema.safeParse(job.data);
      if (tick.success) await runTick(pool, boss, cfg, tick.data);
    }
  });
  if (cfg.WORKER_SCHEDULE) await installSchedules(boss, cfg);
  const reconciler = startReconciler(pool, log);
  log(`worker ${id} started (${cfg.WORKER_CONCURRENCY} at a time per queue; schedule ${cfg.WORKER_SCHEDULE ? 'on' : 'off'})`);

  return {
    id,
    boss,
    async stop() {
      // Graceful: running jobs finish (or are retried elsewhere after their heartbeat lapses).
      reconciler.stop();
      await boss.stop({ graceful: true, timeout: 30_000 });
      await pool.end();
    },
  };
}
