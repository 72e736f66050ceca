import { hostname } from 'node:os';
import type pg from 'pg';
import { createPool } from '../db/pool';
import type { Job, PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { AppConfig } from '../config/env';
import { poolSessions, withSession } from '@/lib/db/sql';
import { tiersFrom } from '../db/retention-tiers';
import { configureRetentionJobs } from '../db/timescale-jobs';
import { CircuitBreaker } from '../market/circuit-breaker';
import { createExchangeSource } from '../market/exchange';
import type { CandleSource } from '../market/source';
import { parseSentimentConfig, sourceBreakers } from '../sentiment';
import { createBoss, ensureQueues } from './boss';
import { zodMessage } from '../zod/message';
import { TICK_QUEUE, tickJobSchema, tuningFrom, type TickJob } from './definitions';
import { RunFailed, type JobContext } from './kind';
import { findJobKind, JOB_KINDS, JOB_QUEUES } from './kinds';
import { finishRun, startRun, type RunResult } from './lifecycle';
import { startReconciler } from './reconcile';
import { hasOpenRun, requestRuns, type RunRequest } from './runs';
import { SeriesBusy, withSeriesLocks } from './series-lock';

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

type QueueJob = Job<unknown> & { retryLimit?: number };
type Outcome = { id: string; status: 'completed' | 'failed'; output?: unknown };

interface Prepared {
  job: QueueJob;
  kind: NonNullable<ReturnType<typeof findJobKind>>;
  payload: Record<string, unknown>;
  runId: string;
}

/** One execution per series (or per kind, for kinds without one) at a time, across every worker. */
function lockKeyOf(run: Prepared): string {
  const series = run.kind.series?.(run.payload as never);
  return series ? `series:${series.symbol}|${series.timeframe}` : `kind:${run.kind.id}`;
}

/**
 * Checks a job's payload. A payload that does not parse (sent by an older version, or by hand)
 * fails its run at once with the reason: retrying cannot fix it, and a run left queued would hold
 * back its series for ever. Null when there is nothing to run.
 */
async function parseRun(pool: pg.Pool, job: QueueJob, log: (line: string) => void): Promise<Prepared | null> {
  const ids = runIdSchema.safeParse(job.data);
  if (!ids.success) {
    log(`worker: job ${job.id} on ${job.name} has no run id; dropped (${JSON.stringify(job.data)?.slice(0, 200)})`);
    return null;
  }
  const { runId } = ids.data;
  const data = job.data as Record<string, unknown>;
  const kind = findJobKind(data.kind);
  const payload = kind?.payload.safeParse(data);
  if (!kind || !payload?.success) {
    const reason = kind ? `payload does not parse: ${zodMessage(payload!.error!)}` : `unknown job kind ${JSON.stringify(data.kind)}`;
    await finishRun(pool, runId, 'failed', { error: reason });
    return null;
  }
  return { job, kind, payload: payload.data as Record<string, unknown>, runId };
}

/**
 * Records a run's result. A failure is recorded and the job failed so pg-boss retries it with
 * exponential backoff; after the last retry the run is `failed`. If the database is away even for
 * the bookkeeping, the job stays active in the queue and is retried when its heartbeat lapses:
 * nothing is half-written, because every batch is one transaction.
 */
async function settleRun(pool: pg.Pool, run: Prepared, result: RunResult | Error): Promise<Outcome> {
  if (!(result instanceof Error)) {
    await finishRun(pool, run.runId, 'succeeded', result);
    return { id: run.job.id, status: 'completed' };
  }
  const last = run.job.retryCount >= (run.job.retryLimit ?? 0);
  const counts = result instanceof RunFailed ? result.result : {};
  await finishRun(pool, run.runId, last ? 'failed' : 'retrying', { ...counts, error: result.message }).catch(() => {});
  return { id: run.job.id, status: 'failed', output: { message: result.message } };
}

/**
 * Runs the jobs one fetch from a queue returned. Runs of a kind that can run together
 * (handleMany: the collections of a cycle) run as one batch; the others one after the other.
 * Each job is settled on its own (pg-boss perJobResults), so one failed series retries alone.
 */
async function runJobs(pool: pg.Pool, workerId: string, context: JobContext, jobs: QueueJob[], log: (line: string) => void): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const parsed: Prepared[] = [];
  for (const job of jobs) {
    const run = await parseRun(pool, job, log);
    if (run) parsed.push(run);
    else outcomes.push({ id: job.id, status: 'completed' });
  }
  // The series locks are checked before a run is marked or anything written: a retry whose first
  // execution is still running (its heartbeat lapsed while the database was frozen) fails without
  // touching its run, and pg-boss tries it again later.
  await withSeriesLocks(pool, parsed.map(lockKeyOf), async (held) => {
    const prepared: Prepared[] = [];
    const claimed = new Set<string>();
    for (const run of parsed) {
      const key = lockKeyOf(run);
      if (!held.has(key) || claimed.has(key)) {
        const busy = new SeriesBusy(key);
        log(`worker: job ${run.job.id} on ${run.job.name}: ${busy.message}`);
        outcomes.push({ id: run.job.id, status: 'failed', output: { message: busy.message } });
        continue;
      }
      claimed.add(key);
      if (await startRun(pool, run.runId, workerId)) prepared.push(run);
      else outcomes.push({ id: run.job.id, status: 'completed' }); // cancelled or finished meanwhile
    }
    await executeRuns(pool, context, prepared, outcomes);
  });
  return outcomes;
}

async function executeRuns(pool: pg.Pool, context: JobContext, prepared: Prepared[], outcomes: Outcome[]): Promise<void> {
  const batches = new Map<string, Prepared[]>();
  for (const run of prepared) {
    if (run.kind.handleMany) batches.set(run.kind.id, [...(batches.get(run.kind.id) ?? []), run]);
    else {
      const result = await run.kind.handle(context, run.payload, run.runId).catch((error: Error) => error);
      outcomes.push(await settleRun(pool, run, result));
    }
  }
  for (const runs of batches.values()) {
    const results = await runs[0]!.kind.handleMany!(context, runs.map(({ payload, runId }) => ({ payload, runId }))).catch((error: Error) => runs.map(() => error));
    for (let i = 0; i < runs.length; i++) outcomes.push(await settleRun(pool, runs[i]!, results[i]!));
  }
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
  // Two connections per job fetch at a time: the series locks are held on one while the work uses others.
  const pool = createPool(databaseUrl, { max: cfg.WORKER_CONCURRENCY * 2 + 2, queryTimeoutMs: 10 * 60_000, onError: (error) => log(`worker: database connection lost: ${error.message}`) });
  const tuning = tuningFrom(cfg);
  const boss = createBoss(databaseUrl, { schedule: cfg.WORKER_SCHEDULE, heartbeatSeconds: tuning.heartbeatSeconds });
  await boss.start();
  await ensureQueues(boss, tuning);
  // A changed RETENTION_RAW / RETENTION_AGGREGATES reaches TimescaleDB's retention jobs with the worker.
  await withSession(pool, (session) => configureRetentionJobs(session, tiersFrom(cfg)));

  const context: JobContext = {
    cfg,
    pool,
    sessions: poolSessions(pool),
    source: source ?? createExchangeSource({ exchangeId: cfg.EXCHANGE_ID, apiBaseUrl: cfg.EXCHANGE_API_URL, timeoutMs: cfg.EXCHANGE_TIMEOUT_MS }),
    breaker: new CircuitBreaker({ failureThreshold: 5, cooldownMs: 60_000 }),
    sentiment,
    sentimentBreakers: sourceBreakers({ failureThreshold: 3, cooldownMs: 5 * 60_000 }),
  };
  // A fetch takes up to WORKER_BATCH_SIZE jobs, and the next follows at once while they come full:
  // throughput is bounded by the work, not by polling.
  const workOptions = {
    localConcurrency: cfg.WORKER_CONCURRENCY,
    pollingIntervalSeconds: 1,
    includeMetadata: true,
    batchSize: cfg.WORKER_BATCH_SIZE,
    burstWhenBatchFull: true,
    perJobResults: true,
  } as const;

  for (const queue of JOB_QUEUES) {
    await boss.work(queue, workOptions, (jobs) => runJobs(pool, id, context, jobs, log));
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
