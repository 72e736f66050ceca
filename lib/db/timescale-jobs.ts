import { schemaMode } from './info';
import type { RetentionTiers } from './retention-tiers';
import type { Session, Sql } from './sql';

/**
 * TimescaleDB's side of retention (migrations 0006, 0017): one `ff_retention` job per hypertable
 * and continuous aggregate, run by TimescaleDB's scheduler. It drops due chunks in bounded batches
 * (never hundreds in one transaction) and deletes the rows of shorter-lived timeframes from older
 * chunks, one chunk per transaction. The horizons live in the product's configuration (per candle
 * timeframe, `null` = kept for ever), so they are written into the jobs' configs here, after every
 * migration and whenever a worker starts or runs retention; until then the jobs delete nothing.
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
  /** The tier values are candle timeframes: the job records their cut-offs in retention_cutoffs first. */
  record_cutoffs?: boolean;
}

const days = (n: number) => `${n} days`;

/**
 * Whole-chunk drops only when every value of the tier column expires, at the longest horizon; every
 * expiring value is a tier (the longest too: its rows are gone with the chunks by then, and its
 * cut-off is recorded like the others').
 */
function tiered(relation: string, column: string, horizons: [string, Horizon][], batchChunks: number): RetentionJobConfig {
  const config: RetentionJobConfig = { relation, batch_chunks: batchChunks };
  const finite = horizons.filter((h): h is [string, number] => h[1] !== null);
  if (!finite.length) return config;
  if (finite.length === horizons.length) config.drop_after = days(Math.max(...finite.map(([, d]) => d)));
  config.tier_column = column;
  config.tiers = Object.fromEntries(finite.map(([value, d]) => [value, days(d)]));
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
    { ...tiered('ml_features_ohlcv', 'timeframe', raw, batchChunks), record_cutoffs: true },
    tiered('ml_features_ohlcv_1h', 'timeframe', aggregates, batchChunks),
    tiered('ml_features_ohlcv_1d', 'timeframe', aggregates, batchChunks),
    tiered('ml_labels', 'source', raw.map(([tf, d]): [string, Horizon] => [`ohlcv:${tf}`, d]), batchChunks),
    // Daily label counts have no timeframe to tier by: kept for ever, like the rows they count by default.
    whole('ml_labels_daily_counts', null),
    ...HOURLY_TABLES.map((relation) => whole(relation, hourly(retention.raw))),
    ...HOURLY_AGGREGATES.map((relation) => whole(relation, hourly(retention.aggregates))),
  ];
}

export interface RetentionJob {
  id: number;
  config: RetentionJobConfig;
}

/** The ff_retention jobs as configured now, in the order of their schedule. */
export async function retentionJobs(db: Sql): Promise<RetentionJob[]> {
  const { rows } = await db.query<RetentionJob>(
    `select job_id as id, config from timescaledb_information.jobs where proc_name = 'ff_retention' order by initial_start, job_id`);
  return rows;
}

/**
 * Writes the horizons into the ff_retention jobs; idempotent: a job whose config already says the
 * same is not touched. Returns the relations whose job changed.
 */
export async function applyTimescaleRetention(db: Sql, retention: TimescaleRetention): Promise<string[]> {
  const jobs = new Map((await retentionJobs(db)).map((job) => [job.config.relation, job]));
  const changed: string[] = [];
  for (const config of retentionJobConfigs(retention)) {
    const job = jobs.get(config.relation);
    if (!job) throw new Error(`retention: no ff_retention job for ${config.relation} (is migration 0006 applied?)`);
    if (sameConfig(job.config, config)) continue;
    await db.query('select alter_job($1, config => $2::jsonb)', [job.id, JSON.stringify(config)]);
    changed.push(config.relation);
  }
  return changed;
}

/**
 * The configured tiers into the jobs when the database is in TimescaleDB mode (a no-op elsewhere,
 * and when nothing changed): after every migration and when a worker starts, so a changed
 * RETENTION_RAW / RETENTION_AGGREGATES reaches the jobs with the next start.
 */
export async function configureRetentionJobs(db: Session, tiers: RetentionTiers): Promise<string[]> {
  return (await schemaMode(db)) === 'timescale' ? applyTimescaleRetention(db, tiers) : [];
}

const sameConfig = (a: RetentionJobConfig, b: RetentionJobConfig) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
const sortKeys = (value: unknown): unknown =>
  value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).sort(([x], [y]) => x.localeCompare(y)).map(([k, v]) => [k, sortKeys(v)])) : value;

/** What one run of a job would delete now: rows per part (whole chunks, then each tier), with its cut-off. */
export interface RetentionDue {
  /** 'ml_features_ohlcv' for whole chunks, 'ml_features_ohlcv 1m' for a tier's rows. */
  name: string;
  rows: number;
  cutoff: Date;
}

/**
 * The job's own rules, counted instead of applied: every row of the chunks older than `drop_after`,
 * then each tier's rows in the remaining chunks older than its horizon (chunks go whole, so rows a
 * little past a horizon wait until their whole chunk is).
 */
export async function retentionDue(db: Session, config: RetentionJobConfig): Promise<RetentionDue[]> {
  const chunksBefore = async (interval: string) => {
    const { rows } = await db.query<{ chunk: string }>('select s::text as chunk from show_chunks($1::regclass, older_than => now() - $2::interval) s', [config.relation, interval]);
    return rows.map((r) => r.chunk);
  };
  const count = async (chunks: string[], where = 'true', params: unknown[] = []) => {
    if (!chunks.length) return 0;
    const sum = chunks.map((chunk) => `(select count(*) from ${chunk} where ${where})`).join(' + ');
    return Number((await db.query<{ n: string }>(`select (${sum})::text as n`, params)).rows[0]!.n);
  };
  const cutoffOf = async (interval: string) => (await db.query<{ at: Date }>('select now() - $1::interval as at', [interval])).rows[0]!.at;
  const due: RetentionDue[] = [];
  const dropped = new Set<string>();
  if (config.drop_after) {
    const chunks = await chunksBefore(config.drop_after);
    for (const chunk of chunks) dropped.add(chunk);
    due.push({ name: config.relation, rows: await count(chunks), cutoff: await cutoffOf(config.drop_after) });
  }
  for (const [value, interval] of Object.entries(config.tiers ?? {})) {
    const chunks = (await chunksBefore(interval)).filter((chunk) => !dropped.has(chunk));
    const column = `"${config.tier_column!.replaceAll('"', '""')}"`;
    due.push({ name: `${config.relation} ${value}`, rows: await count(chunks, `${column} = $1`, [value]), cutoff: await cutoffOf(interval) });
  }
  return due;
}

/** Runs one job now, in this session (`call run_job`: the procedure commits between its batches). */
export async function runRetentionJob(db: Session, job: RetentionJob): Promise<void> {
  await db.query(`call run_job(${Number(job.id)})`);
}
