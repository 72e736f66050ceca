import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { PgBoss } from 'pg-boss';
import { withSession } from '../db/sql';
import { DomainError, invalid, type DomainErrorOptions } from '../errors';
import { zodMessage } from '../zod/message';
import type { PrismaClient } from '../db/prisma';
import type { GapSummary } from '../ingest/gap-report';
import { seriesKey } from './definitions';
import type { JobKind, Series } from './kind';
import { jobKind } from './kinds';

/**
 * What a person (or the schedule) asks for: a kind and its payload's fields, e.g.
 * `{ kind: 'candles', symbol: 'BTC/USDT', timeframe: '1h' }`. Parsed with the kind's schema when sent.
 */
export type RunRequest = { kind: string } & Record<string, unknown>;

export type RunStatus = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';

export interface SourceOutcome {
  source: string;
  attempts: number;
  real: number;
  fallback: number;
  failed: number;
  simulatedRows: number;
}

export interface Run {
  id: string;
  kind: string;
  symbol: string | null;
  timeframe: string | null;
  params: Record<string, unknown>;
  requestedBy: string;
  status: RunStatus;
  attempts: number;
  worker: string | null;
  progress: number | null;
  rowsWritten: number;
  rowsSimulated: number;
  rowsQuarantined: number;
  /** Gaps in the candles a collection or backfill received; null for other kinds and older runs. */
  gaps: GapSummary | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  sources: SourceOutcome[];
}

interface PreparedRun {
  kind: JobKind;
  payload: Record<string, unknown>;
  series: Series | null;
}

/** Parses a request with its kind's schema, so a bad payload is refused here and never reaches a worker. */
function prepare({ kind: id, ...fields }: RunRequest): PreparedRun {
  const kind = jobKind(id);
  const parsed = kind.payload.safeParse(fields);
  if (!parsed.success) throw invalid(`${id} run: ${zodMessage(parsed.error)}`, parsed.error.issues);
  return { kind, payload: parsed.data, series: kind.series?.(parsed.data) ?? null };
}

/**
 * Records the runs and queues their jobs in one transaction: a run is never listed without its
 * job, nor a job queued without its run.
 */
export async function requestRuns(pool: Pool, boss: PgBoss, requests: RunRequest[], requestedBy: 'admin' | 'schedule' | 'cli'): Promise<string[]> {
  const prepared = requests.map(prepare);
  return withSession(pool, async (client) => {
    const db = { executeSql: (text: string, values?: unknown[]) => client.query(text, values as unknown[]) };
    await client.query('begin');
    try {
      const ids: string[] = [];
      for (const { kind, payload, series } of prepared) {
        const id = randomUUID();
        await client.query(
          'insert into collection_runs (id, kind, symbol, timeframe, params, requested_by) values ($1, $2, $3, $4, $5, $6)',
          [id, kind.id, series?.symbol ?? null, series?.timeframe ?? null, JSON.stringify(payload), requestedBy],
        );
        const singletonKey = series ? seriesKey(series.symbol, series.timeframe) : kind.id;
        const jobId = await boss.send(kind.queue, { runId: id, kind: kind.id, ...payload }, { singletonKey, db });
        if (!jobId) throw new Error(`the queue refused the ${kind.id} job`);
        await client.query('update collection_runs set job_id = $2 where id = $1', [id, jobId]);
        ids.push(id);
      }
      await client.query('commit');
      return ids;
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
  });
}

/** Whether an identical run is already waiting; the schedule skips it rather than piling up. */
export async function hasOpenRun(pool: Pool, kind: string, symbol: string | null, timeframe: string | null): Promise<boolean> {
  const { rows } = await pool.query(
    `select 1 from collection_runs where kind = $1 and symbol is not distinct from $2 and timeframe is not distinct from $3
       and status in ('queued', 'retrying') limit 1`,
    [kind, symbol, timeframe],
  );
  return rows.length > 0;
}

export class RunNotCancellable extends DomainError {
  override name = 'RunNotCancellable';
  constructor(message: string, options?: DomainErrorOptions) {
    super('conflict', message, options);
  }
}

/** Cancels a run that has not started. One that a worker already took is refused. */
export async function cancelRun(prisma: PrismaClient, boss: PgBoss, id: string): Promise<void> {
  const run = await prisma.collectionRun.findUnique({ where: { id }, select: { kind: true, status: true, jobId: true } });
  if (!run) throw new DomainError('not_found', `no run ${id}`);
  if (run.status !== 'queued' || !run.jobId) throw new RunNotCancellable(`run ${id} is ${run.status}; only queued runs can be cancelled`);
  const queue = jobKind(run.kind).queue;
  await boss.cancel(queue, run.jobId);
  // cancel() leaves an active job alone: only a job that is now cancelled in the queue cancels its run.
  const job = await boss.getJobById(queue, run.jobId);
  if (job?.state !== 'cancelled') throw new RunNotCancellable(`run ${id} started before it could be cancelled`);
  await prisma.collectionRun.updateMany({ where: { id, status: 'queued' }, data: { status: 'cancelled', finishedAt: new Date() } });
}

const RUN_COLUMNS = `r.id, r.kind, r.symbol, r.timeframe, r.params, r.requested_by as "requestedBy", r.status, r.attempts, r.worker, r.progress,
  r.rows_written as "rowsWritten", r.rows_simulated as "rowsSimulated", r.rows_quarantined as "rowsQuarantined", r.gaps, r.error,
  r.created_at as "createdAt", r.started_at as "startedAt", r.finished_at as "finishedAt",
  (extract(epoch from (coalesce(r.finished_at, now()) - r.started_at)) * 1000)::float8 as "durationMs",
  coalesce((
    select json_agg(json_build_object('source', a.source, 'attempts', a.attempts, 'real', a.real, 'fallback', a.fallback,
                                      'failed', a.failed, 'simulatedRows', a.simulated_rows) order by a.source)
    from (
      select source, count(*)::int as attempts,
        count(*) filter (where outcome = 'real')::int as real,
        count(*) filter (where outcome = 'fallback')::int as fallback,
        count(*) filter (where outcome = 'failed')::int as failed,
        coalesce(sum(rows_simulated), 0)::int as simulated_rows
      from collection_attempts where run_id = r.id::text group by source
    ) a
  ), '[]'::json) as sources`;

export async function listRuns(pool: Pool, { limit = 50, before }: { limit?: number; before?: string } = {}): Promise<Run[]> {
  const { rows } = await pool.query(
    `select ${RUN_COLUMNS} from collection_runs r where ($2::timestamptz is null or r.created_at < $2) order by r.created_at desc limit $1`,
    [limit, before ?? null],
  );
  return rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  })) as Run[];
}
