import type { Pool } from 'pg';
import type { AppConfig } from '../config/env';
import { schemaMode } from '../db/info';
import { clientExecutor, withClient } from '../db/pg-executor';
import { applyBookkeepingRetention, applyPlainRetention } from '../db/retention';
import { backfillCandles } from '../ingest/backfill';
import { collectCandles } from '../ingest/collect';
import type { WithSession } from '../ingest/session';
import type { CircuitBreaker } from '../market/circuit-breaker';
import type { CandleSource } from '../market/source';
import { generateLabels } from '../labels';
import { collectSentiment, type BreakerFor, type SentimentSourceConfig } from '../sentiment';
import type { CandleJob, SymbolsJob } from './definitions';
import { reportProgress, type RunResult } from './lifecycle';

/** What a job needs from the worker process that runs it. */
export interface JobContext {
  cfg: AppConfig;
  pool: Pool;
  sessions: WithSession;
  source: CandleSource;
  /** One per source and process: 1,000 failures in a row must not mean 1,000 requests. */
  breaker: CircuitBreaker;
  sentiment: SentimentSourceConfig;
  sentimentBreakers: BreakerFor;
}

/** A run that could not do its work; thrown so the queue retries it with backoff. */
export class RunFailed extends Error {
  override name = 'RunFailed';
  constructor(message: string, readonly result: RunResult = {}) {
    super(message);
  }
}

export async function runCandleJob(context: JobContext, job: CandleJob): Promise<RunResult> {
  const series = { symbol: job.symbol, timeframe: job.timeframe };
  if (job.kind === 'backfill') {
    const progress = await backfillCandles(
      { sessions: context.sessions, source: context.source, runId: job.runId },
      {
        ...series,
        since: job.since!,
        until: job.until,
        onProgress: (p) => void reportProgress(context.pool, job.runId, p.total ? p.fetched / p.total : 0).catch(() => {}),
      },
    );
    return { rowsWritten: progress.written, rowsQuarantined: progress.quarantined };
  }
  const result = await collectCandles({ sessions: context.sessions, source: context.source, breaker: context.breaker, runId: job.runId }, series);
  const counts = { rowsWritten: result.written, rowsSimulated: result.simulated, rowsQuarantined: result.quarantined };
  // A fallback stored flagged simulated rows and is a finished run; a failure stored nothing usable.
  if (result.outcome === 'failed') throw new RunFailed(result.error ?? 'collection failed', counts);
  return counts;
}

/** One sentiment row per symbol for the last full hour; each source falls back on its own. */
export async function runSentimentJob(context: JobContext, job: SymbolsJob): Promise<RunResult> {
  const result = await collectSentiment(
    { sessions: context.sessions, config: context.sentiment, runId: job.runId, breakerFor: context.sentimentBreakers },
    { symbols: job.symbols },
  );
  if (result.error) throw new RunFailed(result.error);
  return {
    rowsWritten: result.rows.filter((row) => row.written).length,
    rowsSimulated: result.rows.filter((row) => row.written && row.simulatedInputs.length > 0).length,
  };
}

/** Labels for every candle whose horizon has passed since the last run (idempotent). */
export async function runLabelJob(context: JobContext, job: SymbolsJob): Promise<RunResult> {
  const result = await generateLabels({ sessions: context.sessions }, { symbols: job.symbols });
  return { rowsWritten: Object.values(result.written).reduce((sum, n) => sum + n, 0) };
}

/**
 * Plain mode deletes old rows in batches; TimescaleDB's own retention policies drop its chunks, so
 * there only the bookkeeping tables are trimmed here.
 */
export async function runRetentionJob(context: JobContext): Promise<RunResult> {
  const mode = await withClient(context.pool, (client) => schemaMode(clientExecutor(client)));
  const deleted = mode === 'plain' ? await applyPlainRetention(context.pool) : await applyBookkeepingRetention(context.pool);
  const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
  if (total) console.log(`retention: deleted ${JSON.stringify(deleted)}`);
  return {};
}
