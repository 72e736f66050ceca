import type { SqlExecutor } from './executor';
import { RAW_RETENTION_DAYS, ROLLUP_RETENTION_DAYS } from './retention';

/**
 * TimescaleDB's side of retention (migration 0006): one `ff_retention` job per hypertable and
 * continuous aggregate drops due chunks in bounded batches. The horizons live in the product's
 * configuration, so they are written into the jobs' configs here, after migrating, instead of being
 * fixed in SQL. Raw candles can be kept for less long per timeframe (1m rows pile up 60 times
 * faster than 1h rows): the feature table's job then drops chunks at the longest horizon and
 * deletes the shorter-lived timeframes' rows from older chunks, one chunk per transaction.
 */
export interface RetentionTiers {
  /** Raw rows of every table, and of timeframes without a tier of their own. */
  rawDays: number;
  /** Continuous aggregates (hourly and daily read models). */
  rollupDays: number;
  /** Raw candles per timeframe, e.g. { '1m': 30, '1h': 730 }. */
  rawDaysByTimeframe?: Readonly<Record<string, number>>;
}

export const DEFAULT_RETENTION_TIERS: RetentionTiers = { rawDays: RAW_RETENTION_DAYS, rollupDays: ROLLUP_RETENTION_DAYS };

export const RAW_HYPERTABLES = ['ml_features_ohlcv', 'ml_features_sentiment', 'ml_labels', 'ml_predictions'] as const;
export const AGGREGATES = [
  'ml_features_ohlcv_1h', 'ml_features_ohlcv_1d', 'ml_features_sentiment_1h', 'ml_features_sentiment_1d', 'ml_labels_daily_counts',
] as const;

export interface RetentionJobConfig {
  relation: string;
  drop_after: string;
  batch_chunks: number;
  tier_column?: string;
  tiers?: Record<string, string>;
  /** Rows whose tier column is none of `named` are kept this long. */
  others_after?: string;
  named?: string[];
}

const days = (n: number) => `${n} days`;

/** The config of each ff_retention job for these tiers: pure, so the rules are testable without a server. */
export function retentionJobConfigs(tiers: RetentionTiers, batchChunks = 8): RetentionJobConfig[] {
  const byTimeframe = Object.entries(tiers.rawDaysByTimeframe ?? {});
  const candleHorizon = Math.max(tiers.rawDays, ...byTimeframe.map(([, d]) => d));
  // Shorter-lived timeframes are deleted from chunks the whole-chunk drop keeps; timeframes without
  // a tier of their own follow rawDays, which is then a tier too when a named one outlives it.
  const shorter: Record<string, string> = {};
  for (const [timeframe, d] of byTimeframe) if (d < candleHorizon) shorter[timeframe] = days(d);
  const others = tiers.rawDays < candleHorizon ? { others_after: days(tiers.rawDays), named: byTimeframe.map(([t]) => t) } : {};
  return [
    ...RAW_HYPERTABLES.map((relation): RetentionJobConfig => relation === 'ml_features_ohlcv'
      ? { relation, drop_after: days(candleHorizon), batch_chunks: batchChunks, tier_column: 'timeframe', tiers: shorter, ...others }
      : { relation, drop_after: days(tiers.rawDays), batch_chunks: batchChunks }),
    ...AGGREGATES.map((relation): RetentionJobConfig => ({ relation, drop_after: days(tiers.rollupDays), batch_chunks: batchChunks })),
  ];
}

/** Writes the tiers into the ff_retention jobs (idempotent; run after migrating a TimescaleDB database). */
export async function applyTimescaleRetention(db: SqlExecutor, tiers: RetentionTiers = DEFAULT_RETENTION_TIERS): Promise<void> {
  for (const config of retentionJobConfigs(tiers)) {
    const rows = await db.query<{ job_id: number }>(
      `select alter_job(job_id, config => $2::jsonb) from timescaledb_information.jobs
       where proc_name = 'ff_retention' and config->>'relation' = $1`,
      [config.relation, JSON.stringify(config)],
    );
    if (rows.length !== 1) throw new Error(`retention: expected one ff_retention job for ${config.relation}, found ${rows.length}`);
  }
}
