import 'server-only';
import { databaseInfo, type DatabaseInfo } from '@/lib/db/info';
import { RAW_RETENTION_DAYS, ROLLUP_RETENTION_DAYS } from '@/lib/db/retention';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';
import { timescaleExtras, type TimescaleExtras } from './timescale';
import { daysBefore } from '@/lib/market/time';

export interface RetentionHorizon {
  table: 'raw' | 'rollups';
  days: number;
  /** Rows (or buckets) older than this are deleted by the next retention run. */
  cutoff: number;
  /** Oldest stored row or bucket; null when empty. */
  oldest: number | null;
  how: string;
}

export interface StorageReport {
  database: DatabaseInfo;
  rollups: string;
  retention: RetentionHorizon[];
  /** Only in TimescaleDB mode. */
  timescale: TimescaleExtras | null;
}

/** Mode, retention horizons against the oldest stored data and, with TimescaleDB, its jobs, aggregates and compression. */
export async function storageReport(db: Sql, request: { now: number; embedded: boolean }): Promise<StorageReport> {
  const database = await databaseInfo(db, request.embedded);
  const timescale = database.schemaMode === 'timescale';
  // Per-series index steps: min(timestamp) over the whole table would scan it.
  const { rows } = await db.query<{ raw: number | null; rollup: number | null }>(`
    select ${epochMs(`(select min(first) from (select distinct symbol, timeframe from ml_features_ohlcv_1d) s
      cross join lateral (select min(timestamp) as first from ml_features_ohlcv f where f.symbol = s.symbol and f.timeframe = s.timeframe) m)`)} as raw,
      ${epochMs('(select min(bucket) from ml_features_ohlcv_1d)')} as rollup`);
  const oldest = rows[0] ?? { raw: null, rollup: null };
  const how = timescale ? 'retention policy drops chunks' : 'worker deletes in batches';
  return {
    database,
    rollups: timescale
      ? 'real-time continuous aggregates (daily built on hourly) with refresh policies'
      : 'tables kept current by triggers, in the same transaction as each write',
    retention: [
      { table: 'raw', days: RAW_RETENTION_DAYS, cutoff: daysBefore(request.now, RAW_RETENTION_DAYS), oldest: oldest.raw, how },
      { table: 'rollups', days: ROLLUP_RETENTION_DAYS, cutoff: daysBefore(request.now, ROLLUP_RETENTION_DAYS), oldest: oldest.rollup, how },
    ],
    timescale: timescale ? await timescaleExtras(db) : null,
  };
}
