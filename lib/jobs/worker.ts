import { hostname } from 'node:os';
import pg from 'pg';
import type { Job, PgBoss } from 'pg-boss';
import type { z } from 'zod';
import type { AppConfig } from '../config/env';
import { poolSessions } from '../ingest/session';
import { CircuitBreaker } from '../market/circuit-breaker';
import { createExchangeSource } from '../market/exchange';
import type { CandleSource } from '../market/source';
import { parseSentimentConfig, sourceBreakers } from '../sentiment';
import { createBoss, ensureQueues } from './boss';
import {
  candleJobSchema, cronFor, QUEUES, tuningFrom, retentionJobSchema, symbolsJobSchema, tickJobSchema, type RunKind, type TickJob,
} from './definitions';
import { runCandleJob, runLabelJob, runRetentionJob, runSentimentJob, RunFailed, type JobContext } from './handlers';
import { finishRun, startRun, type RunResult } from './lifecycle';
import { hasOpenRun, requestRuns, type RunRequest } from './runs';

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

/**
 * Runs one job of a run: marks it running, does the work, records the result. A failure is
 * recorded and rethrown so pg-boss retries with exponential backoff; after the last retry the
 * run is `failed`. If the database is away even for the bookkeeping, the job stays active in the
 * queue and is retried when its heartbeat lapses: nothing is half-written, because every batch
 * is one transaction.
 */
async function executeRun<S extends z.ZodType<{ runId: string }>>(
  pool: pg.Pool,
  workerId: string,
  job: Job<unknown> & { retryLimit?: number },
  schema: S,
  work: (payload: z.infer<S>) => Promise<RunResult>,
): Promise<void> {
  const payload = schema.parse(job.data);
  if (!(await startRun(pool, payload.runId, workerId))) return; // cancelled meanwhile
  try {
    const result = await work(payload);
    await finishRun(pool, payload.runId, 'succeeded', result);
  } catch (error) {
    const last = job.retryCount >= (job.retryLimit ?? 0);
    const counts = error instanceof RunFailed ? error.result : {};
    await finishRun(pool, payload.runId, last ? 'failed' : 'retrying', { ...counts, error: (error as Error).message }).catch(() => {});
    throw error;
  }
}

/** The schedule's tick: one run per tracked series, unless an identical one is still waiting. */
async function runTick(pool: pg.Pool, boss: PgBoss, cfg: AppConfig, tick: TickJob): Promise<void> {
  const requests: RunRequest[] = [];
  if (tick.what === 'candles' && tick.timeframe) {
    for (const symbol of cfg.TRACKED_SYMBOLS) {
      if (!(await hasOpenRun(pool, 'candles', symbol, tick.timeframe))) requests.push({ kind: 'candles', symbol, timeframe: tick.timeframe });
    }
  } else if (!(await hasOpenRun(pool, tick.what as RunKind, null, null))) {
    requests.push(tick.what === 'retention' ? { kind: 'retention' } : { kind: tick.what, symbols: [...cfg.TRACKED_SYMBOLS] });
  }
  if (requests.length) await requestRuns(pool, boss, requests, 'schedule');
}

async function installSchedules(boss: PgBoss, cfg: AppConfig): Promise<void> {
  for (const timeframe of cfg.TRACKED_TIMEFRAMES) {
    await boss.schedule(QUEUES.tick, cronFor(timeframe), { what: 'candles', timeframe }, { key: `candles-${timeframe}`, tz: 'UTC' });
  }
  await boss.schedule(QUEUES.tick, '5 * * * *', { what: 'sentiment' }, { key: 'sentiment', tz: 'UTC' });
  await boss.schedule(QUEUES.tick, '10 * * * *', { what: 'labels' }, { key: 'labels', tz: 'UTC' });
  await boss.schedule(QUEUES.tick, '30 3 * * *', { what: 'retention' }, { key: 'retention', tz: 'UTC' });
}

export async function startWorker({ cfg, databaseUrl, source, log = console.log }: WorkerOptions): Promise<RunningWorker> {
  const id = `${hostname()}:${process.pid}`;
  // Validated before anything starts: a bad source setting stops the worker with its name.
  const sentiment = parseSentimentConfig();
  const pool = new pg.Pool({ connectionString: databaseUrl, max: cfg.WORKER_CONCURRENCY + 2, connectionTimeoutMillis: 5_000 });
  pool.on('error', (error) => log(`worker: database connection lost: ${error.message}`));
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

  await boss.work(QUEUES.candles, workOptions, async (jobs) => {
    for (const job of jobs) await executeRun(pool, id, job, candleJobSchema, (payload) => runCandleJob(context, payload));
  });
  await boss.work(QUEUES.sentiment, workOptions, async (jobs) => {
    for (const job of jobs) await executeRun(pool, id, job, symbolsJobSchema, (payload) => runSentimentJob(context, payload));
  });
  await boss.work(QUEUES.labels, workOptions, async (jobs) => {
    for (const job of jobs) await executeRun(pool, id, job, symbolsJobSchema, (payload) => runLabelJob(context, payload));
  });
  await boss.work(QUEUES.retention, workOptions, async (jobs) => {
    for (const job of jobs) await executeRun(pool, id, job, retentionJobSchema, () => runRetentionJob(context));
  });
  await boss.work(QUEUES.tick, { pollingIntervalSeconds: 2 }, async (jobs) => {
    for (const job of jobs) await runTick(pool, boss, cfg, tickJobSchema.parse(job.data));
  });
  if (cfg.WORKER_SCHEDULE) await installSchedules(boss, cfg);
  log(`worker ${id} started (${cfg.WORKER_CONCURRENCY} at a time per queue; schedule ${cfg.WORKER_SCHEDULE ? 'on' : 'off'})`);

  return {
    id,
    boss,
    async stop() {
      // Graceful: running jobs finish (or are retried elsewhere after their heartbeat lapses).
      await boss.stop({ graceful: true, timeout: 30_000 });
      await pool.end();
    },
  };
}
