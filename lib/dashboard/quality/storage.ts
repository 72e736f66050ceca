import 'server-only';
import { databaseInfo, type DatabaseInfo } from '@/lib/db/info';
import { config } from '@/lib/config/env';
import { TIMEFRAMES, tiersFrom, type Horizon, type RetentionTiers, type RetentionTimeframe } from '@/lib/db/retention-tiers';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';
import { timescaleExtras, type TimescaleExtras } from './timescale';
import { rollupWatermarks } from '@/lib/db/aggregate-watermarks';
import { candleCountsSql } from '../rollup-source';

/** One timeframe's tiers: raw rows (with their labels; 1h also sentiment) and their hourly/daily rollups. */
export interface RetentionHorizon {
  timeframe: string;
  /** Days kept; null = kept until the configuration says otherwise. */
  rawDays: Horizon;
  aggregateDays: Horizon;
  /** Rows (or buckets) older than these are deleted by the next retention run; null = never. */
  rawCutoff: number | null;
  aggregateCutoff: number | null;
  /** Oldest stored candle / daily bucket of the timeframe; null when empty. */
  oldestRaw: number | null;
  oldestAggregate: number | null;
  how: string;
}

export interface StorageReport {
  database: DatabaseInfo;
  rollups: string;
  retention: RetentionHorizon[];
  /** Only in TimescaleDB mode. */
  timescale: TimescaleExtras | null;
}

/**
 * Mode, retention tiers against the oldest stored data and, with TimescaleDB, its jobs, aggregates
 * and compression. Timeframes shown: the tracked ones and any with stored rows.
 */
export async function storageReport(db: Sql, request: { now: number; embedded: boolean; tiers?: RetentionTiers; trackedTimeframes?: readonly string[] }): Promise<StorageReport> {
  const database = await databaseInfo(db, request.embedded);
  const timescale = database.schemaMode === 'timescale';
  const tiers = request.tiers ?? tiersFrom(config());
  const tracked = request.trackedTimeframes ?? config().TRACKED_TIMEFRAMES;
  // Per-series index steps: min(timestamp) over the whole table would scan it.
  const { rows } = await db.query<{ timeframe: string; raw: number | null; rollup: number | null }>(`
    select s.timeframe, ${epochMs('min(m.first)')} as raw, ${epochMs('min(s.first_bucket)')} as rollup
    from (select symbol, timeframe, first as first_bucket from (${candleCountsSql(await rollupWatermarks(db))}) counts) s
    cross join lateral (select min(timestamp) as first from ml_features_ohlcv f where f.symbol = s.symbol and f.timeframe = s.timeframe) m
    group by s.timeframe`);
  const oldest = new Map(rows.map((r) => [r.timeframe, r]));
  const how = timescale
    ? 'ff_retention jobs on TimescaleDB’s scheduler: whole chunks, shorter tiers chunk by chunk'
    : 'retention job: batched deletes';
  const cutoff = (days: Horizon) => (days === null ? null : request.now - days * 86_400_000);
  const shown = TIMEFRAMES.filter((tf) => tracked.includes(tf) || oldest.has(tf));
  return {
    database,
    rollups: timescale
      ? 'real-time continuous aggregates (daily built on hourly) with refresh policies'
      : 'tables kept current by triggers, in the same transaction as each write',
    retention: shown.map((tf: RetentionTimeframe): RetentionHorizon => ({
      timeframe: tf,
      rawDays: tiers.raw[tf],
      aggregateDays: tiers.aggregates[tf],
      rawCutoff: cutoff(tiers.raw[tf]),
      aggregateCutoff: cutoff(tiers.aggregates[tf]),
      oldestRaw: oldest.get(tf)?.raw ?? null,
      oldestAggregate: oldest.get(tf)?.rollup ?? null,
      how,
    })),
    timescale: timescale ? await timescaleExtras(db) : null,
  };
}
