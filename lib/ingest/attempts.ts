import type { Session } from '@/lib/db/sql';

export type AttemptOutcome = 'real' | 'fallback' | 'failed';

/** One attempt to collect from a source, as the quality page reads it. */
export interface CollectionAttempt {
  runId?: string | null;
  source: string;
  kind?: string;
  symbol: string;
  timeframe: string | null;
  startedAt: number;
  finishedAt: number;
  outcome: AttemptOutcome;
  rowsWritten: number;
  rowsSimulated: number;
  rowsQuarantined: number;
  error?: string | null;
}

export async function recordAttempt(db: Session, attempt: CollectionAttempt): Promise<number> {
  const { rows: [row] } = await db.query<{ id: number }>(
    `insert into collection_attempts
       (run_id, source, kind, symbol, timeframe, started_at, finished_at, outcome, rows_written, rows_simulated, rows_quarantined, error)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     returning id::float8 as id`,
    [
      attempt.runId ?? null,
      attempt.source,
      attempt.kind ?? 'candles',
      attempt.symbol,
      attempt.timeframe,
      new Date(attempt.startedAt).toISOString(),
      new Date(attempt.finishedAt).toISOString(),
      attempt.outcome,
      attempt.rowsWritten,
      attempt.rowsSimulated,
      attempt.rowsQuarantined,
      attempt.error ?? null,
    ],
  );
  return row!.id;
}

/** Many attempts in one statement (a collection cycle's bookkeeping). */
export async function recordAttempts(db: Session, attempts: readonly CollectionAttempt[]): Promise<void> {
  if (!attempts.length) return;
  const column = <T>(pick: (a: CollectionAttempt) => T) => attempts.map(pick);
  await db.query(
    `insert into collection_attempts
       (run_id, source, kind, symbol, timeframe, started_at, finished_at, outcome, rows_written, rows_simulated, rows_quarantined, error)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
       $8::text[], $9::int[], $10::int[], $11::int[], $12::text[])`,
    [
      column((a) => a.runId ?? null),
      column((a) => a.source),
      column((a) => a.kind ?? 'candles'),
      column((a) => a.symbol),
      column((a) => a.timeframe),
      column((a) => new Date(a.startedAt).toISOString()),
      column((a) => new Date(a.finishedAt).toISOString()),
      column((a) => a.outcome),
      column((a) => a.rowsWritten),
      column((a) => a.rowsSimulated),
      column((a) => a.rowsQuarantined),
      column((a) => a.error ?? null),
    ],
  );
}
