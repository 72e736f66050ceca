import { ROLLUP_VIEWS } from './rollups';
import type { Pool } from 'pg';
import { DAY_MS } from '../market/time';

/**
 * Plain-PostgreSQL retention (TimescaleDB mode has retention policies instead): raw rows older than
 * 90 days and rollups older than 2 years are deleted in small batches, so no statement holds locks
 * for long. Raw deletes skip the rollup triggers: aggregates outlive the raw rows they summarise,
 * as continuous aggregates do when their raw chunks are dropped.
 */
export const RAW_RETENTION_DAYS = 90;
export const ROLLUP_RETENTION_DAYS = 730;

const RAW_TABLES = ['ml_features_ohlcv', 'ml_features_sentiment', 'ml_labels', 'ml_predictions'] as const;
/**
 * Bookkeeping grows with every collection in every mode (TimescaleDB's policies cover only the
 * hypertables): kept as long as the raw rows they explain. Unfinished runs are never deleted.
 */
const BOOKKEEPING: readonly { table: string; time: string; where?: string }[] = [
  { table: 'collection_attempts', time: 'started_at' },
  { table: 'collection_runs', time: 'created_at', where: "status in ('succeeded', 'failed', 'cancelled')" },
  { table: 'ingest_quarantine', time: 'received_at' },
  { table: 'simulated_replacements', time: 'replaced_at' },
  { table: 'sentiment_documents', time: 'published_at' },
];

export interface RetentionOptions {
  now?: Date;
  rawDays?: number;
  rollupDays?: number;
  batchSize?: number;
}

async function deleteInBatches(pool: Pool, table: string, timeColumn: string, before: Date, batchSize: number, where = 'true'): Promise<number> {
  let deleted = 0;
  for (;;) {
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query("set local ff.skip_rollups = 'on'");
      const result = await client.query(
        `delete from ${table} where ctid = any(array(select ctid from ${table} where ${timeColumn} < $1 and ${where} limit $2))`,
        [before, batchSize],
      );
      await client.query('commit');
      deleted += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < batchSize) return deleted;
    } catch (error) {
      await client.query('rollback');
      throw error;
    } finally {
      client.release();
    }
  }
}

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** Returns the number of rows deleted per table. */
export async function applyPlainRetention(pool: Pool, options: RetentionOptions = {}): Promise<Record<string, number>> {
  const { now = new Date(), rawDays = RAW_RETENTION_DAYS, rollupDays = ROLLUP_RETENTION_DAYS, batchSize = 5_000 } = options;
  const deleted: Record<string, number> = {};
  for (const table of RAW_TABLES) {
    deleted[table] = await deleteInBatches(pool, table, 'timestamp', daysBefore(now, rawDays), batchSize);
  }
  for (const table of ROLLUP_VIEWS) {
    deleted[table] = await deleteInBatches(pool, table, 'bucket', daysBefore(now, rollupDays), batchSize);
  }
  return { ...deleted, ...(await applyBookkeepingRetention(pool, options)) };
}

/** Every mode: the collection bookkeeping older than the raw retention. */
export async function applyBookkeepingRetention(pool: Pool, options: RetentionOptions = {}): Promise<Record<string, number>> {
  const { now = new Date(), rawDays = RAW_RETENTION_DAYS, batchSize = 5_000 } = options;
  const deleted: Record<string, number> = {};
  for (const { table, time, where } of BOOKKEEPING) {
    deleted[table] = await deleteInBatches(pool, table, time, daysBefore(now, rawDays), batchSize, where);
  }
  return deleted;
}
