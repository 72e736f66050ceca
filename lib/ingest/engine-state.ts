import type { SqlExecutor } from '@/lib/db/executor';
import type { EngineCheckpoint } from '@/lib/features';
import type { Series } from './series';

export interface StoredCheckpoint extends EngineCheckpoint {
  featureVersion: string;
}

/** The series' engine checkpoint (ml_engine_state), if any. Call under the series lock. */
export async function readEngineCheckpoint(db: SqlExecutor, series: Series): Promise<StoredCheckpoint | null> {
  const [row] = await db.query<{ feature_version: string; layout: string; ts: number; state: Buffer }>(
    `select feature_version, layout, (extract(epoch from last_timestamp) * 1000)::float8 as ts, state
     from ml_engine_state where symbol = $1 and timeframe = $2`,
    [series.symbol, series.timeframe],
  );
  if (!row || row.state.length % 8 !== 0) return null;
  // Copied into an aligned buffer: a Buffer from the driver may start at any byte offset.
  const state = new Float64Array(new Uint8Array(row.state).buffer);
  return { featureVersion: row.feature_version, layout: row.layout, lastTimestamp: row.ts, state };
}

/** Replaces the series' checkpoint, in the caller's transaction. */
export async function writeEngineCheckpoint(db: SqlExecutor, series: Series, featureVersion: string, checkpoint: EngineCheckpoint): Promise<void> {
  const { state } = checkpoint;
  await db.query(
    `insert into ml_engine_state (symbol, timeframe, feature_version, layout, last_timestamp, state, updated_at)
     values ($1, $2, $3, $4, $5, $6, now())
     on conflict (symbol, timeframe) do update set feature_version = excluded.feature_version, layout = excluded.layout,
       last_timestamp = excluded.last_timestamp, state = excluded.state, updated_at = now()`,
    [series.symbol, series.timeframe, featureVersion, checkpoint.layout, new Date(checkpoint.lastTimestamp).toISOString(), Buffer.from(state.buffer, state.byteOffset, state.byteLength)],
  );
}

/** Drops a checkpoint a write at or before `from` has made stale. */
export async function dropStaleCheckpoint(db: SqlExecutor, series: Series, from: number): Promise<void> {
  await db.query('delete from ml_engine_state where symbol = $1 and timeframe = $2 and last_timestamp >= $3', [
    series.symbol,
    series.timeframe,
    new Date(from).toISOString(),
  ]);
}
