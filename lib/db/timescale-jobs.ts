import type { Sql } from './sql';

/**
 * TimescaleDB's side of retention (migration 0006): one `ff_retention` job per hypertable and
 * continuous aggregate. It drops due chunks in bounded batches (never hundreds in one transaction)
 * and deletes the rows of shorter-lived timeframes from older chunks, one chunk per transaction.
 * The horizons live in the product's configuration (per candle timeframe, `null` = kept for ever),
 * so they are written into the jobs' configs here; until then the jobs delete nothing.
 */
export type Horizon = number | null;

export interface TimescaleRetention {
  /**
   * Raw candles per timeframe. Name every timeframe that is stored (the configuration's tiers do):
   * chunks hold every timeframe, and they are dropped whole at the longest horizon once every
   * named timeframe expires.
   */
  raw: Readonly<Record<string, Horizon>>;
  /** Aggregates per candle timeframe; must outlive the raw rows (checked where tiers are parsed). */
  aggregates: Readonly<Record<string, Horizon>>;
}

export const CANDLE_TABLES = ['ml_features_ohlcv', 'ml_features_ohlcv_1h', 'ml_features_ohlcv_1d'] as const;
/** Rows of the 1h series' world: hourly sentiment and predictions follow the 1h tier. */
export const HOURLY_TABLES = ['ml_features_sentiment', 'ml_predictions'] as const;
export const HOURLY_AGGREGATES = ['ml_features_sentiment_1h', 'ml_features_sentiment_1d'] as const;

export interface RetentionJobConfig {
  relation: string;
  batch_chunks: number;
  /** Whole chunks older than this go (every row in them is due). */
  drop_after?: string;
  /** Rows whose `tier_column` has one of these values go after their own horizon. */
  tier_column?: string;
  tiers?: Record<string, string>;
}

const days = (n: number) => `${n} days`;

/** Whole-chunk drops only when every value of the tier column expires, at the longest horizon. */
function tiered(relation: string, column: string, horizons: [string, Horizon][], batchChunks: number): RetentionJobConfig {
  const config: RetentionJobConfig = { relation, batch_chunks: batchChunks };
  const finite = horizons.filter((h): h is [string, number] => h[1] !== null);
  if (!finite.length) return config;
  const everyValueExpires = horizons.length > 0 && finite.length === horizons.length;
  const longest = Math.max(...finite.map(([, d]) => d));
  if (everyValueExpires) config.drop_after = days(longest);
  const shorter = finite.filter(([, d]) => !everyValueExpires || d < longest);
  if (shorter.length) {
    config.tier_column = column;
    config.tiers = Object.fromEntries(shorter.map(([value, d]) => [value, days(d)]));
  }
  return config;
}

/**
 * The config of each ff_retention job: pure, so the rules are testable without a server. Candle
 * tables and their aggregates are tiered by timeframe; labels by their source series
 * ('ohlcv:<timeframe>'); sentiment and predictions follow the 1h tier. While any timeframe is kept
 * for ever, chunks of a tiered table are never dropped whole: only the expiring timeframes' rows
 * are deleted from them.
 */
export function retentionJobConfigs(retention: TimescaleRetention, batchChunks = 8): RetentionJobConfig[] {
  const raw = Object.entries(retention.raw);
  const aggregates = Object.entries(retention.aggregates);
  const hourly = (tiers: TimescaleRetention['raw']) => tiers['1h'] ?? null;
  const whole = (relation: string, horizon: Horizon): RetentionJobConfig =>
    horizon === null ? { relation, batch_chunks: batchChunks } : { relation, batch_chunks: batchChunks, drop_after: days(horizon) };
  return [
    tiered('ml_features_ohlcv', 'timeframe', raw, batchChunks),
    tiered('ml_features_ohlcv_1h', 'timeframe', aggregates, batchChunks),
    tiered('ml_features_ohlcv_1d', 'timeframe', aggregates, batchChunks),
    tiered('ml_labels', 'source', raw.map(([tf, d]): [string, Horizon] => [`ohlcv:${tf}`, d]), batchChunks),
    // Daily label counts have no timeframe to tier by: kept for ever, like the rows they count by default.
    whole('ml_labels_daily_counts', null),
    ...HOURLY_TABLES.map((relation) => whole(relation, hourly(retention.raw))),
    ...HOURLY_AGGREGATES.map((relation) => whole(relation, hourly(retention.aggregates))),
  ];
}

/** Writes the horizons into the ff_retention jobs (idempotent; run after migrating a TimescaleDB database). */
export async function applyTimescaleRetention(db: Sql, retention: TimescaleRetention): Promise<void> {
  for (const config of retentionJobConfigs(retention)) {
    const { rows } = await db.query<{ job_id: number }>(
      `select alter_job(job_id, config => $2::jsonb) from timescaledb_information.jobs
       where proc_name = 'ff_retention' and config->>'relation' = $1`,
      [config.relation, JSON.stringify(config)],
    );
    if (rows.length !== 1) throw new Error(`retention: expected one ff_retention job for ${config.relation}, found ${rows.length}`);
  }
}
