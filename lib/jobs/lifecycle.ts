import type { Pool } from 'pg';
import type { GapSummary } from '../ingest/gap-report';

/** How one execution of a run ended, as stored on collection_runs. */
export interface RunResult {
  rowsWritten?: number;
  rowsSimulated?: number;
  rowsQuarantined?: number;
  /** Gaps in the candles the run received (collection, backfill); kept from an earlier attempt when absent. */
  gaps?: GapSummary;
}

/**
 * Marks a run as running on this worker; false when it was cancelled meanwhile. A run left
 * `running` by a killed worker is taken over by the retry.
 */
export async function startRun(pool: Pool, runId: string, worker: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `update collection_runs set status = 'running', attempts = attempts + 1, worker = $2, started_at = coalesce(started_at, now()), error = null
     where id = $1 and status in ('queued', 'retrying', 'running')`,
    [runId, worker],
  );
  return rowCount === 1;
}

export async function finishRun(pool: Pool, runId: string, status: 'succeeded' | 'failed' | 'retrying', result: RunResult & { error?: string }): Promise<void> {
  await pool.query(
    `update collection_runs set status = $2, rows_written = rows_written + $3, rows_simulated = rows_simulated + $4,
       rows_quarantined = rows_quarantined + $5, error = $6, gaps = coalesce($7::jsonb, gaps),
       finished_at = case when $2 = 'retrying' then null else now() end,
       progress = case when $2 = 'succeeded' and progress is not null then 1 else progress end
     where id = $1`,
    [runId, status, result.rowsWritten ?? 0, result.rowsSimulated ?? 0, result.rowsQuarantined ?? 0, result.error?.slice(0, 2000) ?? null, result.gaps ? JSON.stringify(result.gaps) : null],
  );
}

export async function reportProgress(pool: Pool, runId: string, progress: number): Promise<void> {
  await pool.query('update collection_runs set progress = $2 where id = $1', [runId, Math.min(1, Math.max(0, progress))]);
}
