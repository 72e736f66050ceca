import type { Session } from './sql';
import { DAY_MS } from '../market/time';
import type { DatabaseMode } from './migrate';
import { DEFAULT_TIERS, formatHorizon, longest, TIMEFRAMES, type Horizon, type RetentionTiers } from './retention-tiers';
import { applyTimescaleRetention, retentionDue, retentionJobs, runRetentionJob } from './timescale-jobs';

/**
 * Retention by the configured tiers (lib/db/retention-tiers.ts), one way per mode. Embedded and
 * plain PostgreSQL: each rule deletes the rows of one table (and one timeframe) older than its
 * horizon, in small batches so that no statement holds locks for long; raw deletes skip plain
 * mode's rollup triggers, so aggregates outlive the raw rows they summarise. TimescaleDB: the
 * hypertables and continuous aggregates belong to the ff_retention jobs on TimescaleDB's scheduler
 * (lib/db/timescale-jobs.ts), which get the tiers written into them here; only the bookkeeping
 * tables, plain tables in every mode, are deleted by rule.
 */
export const BOOKKEEPING_RETENTION_DAYS = 90;

/** One deletion: rows of `table` matching `where` with `time` older than `days`. */
export interface RetentionRule {
  table: string;
  time: string;
  days: number;
  /** SQL condition with $2 available for `param`. */
  where?: string;
  param?: string;
  /** Label for the report, e.g. 'ml_features_ohlcv 1m'. */
  name: string;
}

const OHLCV_ROLLUPS = ['ml_features_ohlcv_1h', 'ml_features_ohlcv_1d'];
const SENTIMENT_ROLLUPS = ['ml_features_sentiment_1h', 'ml_features_sentiment_1d'];
const LABEL_ROLLUPS = ['ml_labels_daily_counts'] as const;

/**
 * Bookkeeping grows with every collection in every mode: kept 90 days, as long as the fast raw
 * rows they explain. Unfinished runs are never deleted.
 */
const BOOKKEEPING: readonly { table: string; time: string; where?: string }[] = [
  { table: 'collection_attempts', time: 'started_at' },
  { table: 'collection_runs', time: 'created_at', where: "status in ('succeeded', 'failed', 'cancelled')" },
  { table: 'ingest_quarantine', time: 'received_at' },
  { table: 'simulated_replacements', time: 'replaced_at' },
  { table: 'sentiment_documents', time: 'published_at' },
];

/** The deletions by rule a configuration asks for, in the order they run (pure); in TimescaleDB mode only the bookkeeping. */
export function retentionRules(tiers: RetentionTiers, mode: DatabaseMode): RetentionRule[] {
  const rules: RetentionRule[] = [];
  const add = (rule: Omit<RetentionRule, 'days'>, days: Horizon) => {
    if (days !== null) rules.push({ ...rule, days });
  };
  if (mode === 'plain') {
    for (const tf of TIMEFRAMES) {
      add({ table: 'ml_features_ohlcv', time: 'timestamp', where: 'timeframe = $2', param: tf, name: `ml_features_ohlcv ${tf}` }, tiers.raw[tf]);
      // A label lives as long as the candles it was computed from.
      add({ table: 'ml_labels', time: 'timestamp', where: 'source = $2', param: `ohlcv:${tf}`, name: `ml_labels ${tf}` }, tiers.raw[tf]);
    }
    // Hourly sentiment rows and predictions belong to the 1h candles.
    add({ table: 'ml_features_sentiment', time: 'timestamp', name: 'ml_features_sentiment' }, tiers.raw['1h']);
    add({ table: 'ml_predictions', time: 'timestamp', name: 'ml_predictions' }, tiers.raw['1h']);
    for (const view of OHLCV_ROLLUPS) {
      for (const tf of TIMEFRAMES) add({ table: view, time: 'bucket', where: 'timeframe = $2', param: tf, name: `${view} ${tf}` }, tiers.aggregates[tf]);
    }
    for (const view of SENTIMENT_ROLLUPS) add({ table: view, time: 'bucket', name: view }, tiers.aggregates['1h']);
    // Label counts carry no timeframe: kept as long as the longest-lived aggregate.
    add({ table: LABEL_ROLLUPS[0], time: 'bucket', name: LABEL_ROLLUPS[0] }, longest(TIMEFRAMES.map((tf) => tiers.aggregates[tf])));
  }
  for (const { table, time, where } of BOOKKEEPING) rules.push({ table, time, where, days: BOOKKEEPING_RETENTION_DAYS, name: table });
  return rules;
}

export interface RetentionOptions {
  now?: Date;
  tiers?: RetentionTiers;
  batchSize?: number;
  /** Count what would be deleted, delete nothing. */
  dryRun?: boolean;
  /**
   * TimescaleDB mode: run the ff_retention jobs now (the command line) instead of leaving them to
   * TimescaleDB's scheduler (the worker). Their cut-offs follow the server's clock, not `now`.
   */
  runJobs?: boolean;
}

export interface RetentionReport {
  /** Rows deleted (or, in a dry run, that would be) per rule name. */
  deleted: Record<string, number>;
  /** Each rule's cut-off: rows older than this go. */
  cutoffs: Record<string, string>;
  dryRun: boolean;
}

const cutoffOf = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/** Each batch is its own transaction on the one session `db`, so no statement holds locks for long. */
async function deleteInBatches(db: Session, rule: RetentionRule, before: Date, batchSize: number): Promise<number> {
  const params: unknown[] = [before, ...(rule.param === undefined ? [] : [rule.param])];
  const limit = `$${params.length + 1}`;
  let deleted = 0;
  for (;;) {
    await db.query('begin');
    let n: number;
    try {
      await db.query("set local ff.skip_rollups = 'on'");
      const { rows: [row] } = await db.query<{ n: number }>(
        `with gone as (
           delete from ${rule.table} where ctid = any(array(select ctid from ${rule.table} where ${rule.time} < $1 and (${rule.where ?? 'true'}) limit ${limit}))
           returning 1
         ) select count(*)::int as n from gone`,
        [...params, batchSize],
      );
      await db.query('commit');
      n = row!.n;
    } catch (error) {
      await db.query('rollback');
      throw error;
    }
    deleted += n;
    if (n < batchSize) return deleted;
  }
}

async function countDue(db: Session, rule: RetentionRule, before: Date): Promise<number> {
  const params: unknown[] = [before, ...(rule.param === undefined ? [] : [rule.param])];
  const { rows: [row] } = await db.query<{ n: number }>(`select count(*)::int as n from ${rule.table} where ${rule.time} < $1 and (${rule.where ?? 'true'})`, params);
  return row!.n;
}

async function recordCutoff(db: Session, timeframe: string, cutoff: Date): Promise<void> {
  await db.query(
    `insert into retention_cutoffs (timeframe, cutoff) values ($1, $2)
     on conflict (timeframe) do update set cutoff = greatest(retention_cutoffs.cutoff, excluded.cutoff), applied_at = now()`,
    [timeframe, cutoff],
  );
}

/**
 * Applies (or, with dryRun, measures) the configured retention now, on one session (not inside a
 * transaction). In TimescaleDB mode the tiers are first written into the ff_retention jobs; the
 * report then also holds what each job would delete on a run now (dry run) or what it deleted
 * (runJobs); without either the jobs are left to TimescaleDB's scheduler.
 */
export async function applyRetention(db: Session, mode: DatabaseMode, options: RetentionOptions = {}): Promise<RetentionReport> {
  const { now = new Date(), tiers = DEFAULT_TIERS, batchSize = 5_000, dryRun = false, runJobs = false } = options;
  const report: RetentionReport = { deleted: {}, cutoffs: {}, dryRun };
  if (mode === 'timescale') {
    await applyTimescaleRetention(db, tiers);
    if (dryRun || runJobs) await reportTimescaleJobs(db, report, !dryRun);
  }
  for (const rule of retentionRules(tiers, mode)) {
    const before = cutoffOf(now, rule.days);
    report.cutoffs[rule.name] = before.toISOString();
    // Recorded before deleting: from now on no write rebuilds the aggregates of what goes.
    if (!dryRun && rule.table === 'ml_features_ohlcv' && rule.param) await recordCutoff(db, rule.param, before);
    report.deleted[rule.name] = dryRun ? await countDue(db, rule, before) : await deleteInBatches(db, rule, before, batchSize);
  }
  return report;
}

/** Each job's due rows; with `run`, the job run now and what it deleted. */
async function reportTimescaleJobs(db: Session, report: RetentionReport, run: boolean): Promise<void> {
  for (const job of await retentionJobs(db)) {
    const due = await retentionDue(db, job.config);
    if (run && due.some((d) => d.rows > 0)) {
      await runRetentionJob(db, job);
      const left = new Map((await retentionDue(db, job.config)).map((d) => [d.name, d.rows]));
      for (const d of due) d.rows -= left.get(d.name) ?? 0;
    }
    for (const d of due) {
      report.deleted[d.name] = d.rows;
      report.cutoffs[d.name] = d.cutoff.toISOString();
    }
  }
}

/** Every tier as people read it: what is kept how long. For /quality and the CLI. */
export function describeTiers(tiers: RetentionTiers): { timeframe: string; raw: string; aggregates: string }[] {
  return TIMEFRAMES.map((tf) => ({ timeframe: tf, raw: formatHorizon(tiers.raw[tf]), aggregates: formatHorizon(tiers.aggregates[tf]) }));
}

/** Only the bookkeeping (kept for callers that trim logs without touching data). */
export async function applyBookkeepingRetention(db: Session, options: { now?: Date; batchSize?: number } = {}): Promise<Record<string, number>> {
  const { now = new Date(), batchSize = 5_000 } = options;
  const deleted: Record<string, number> = {};
  for (const { table, time, where } of BOOKKEEPING) {
    deleted[table] = await deleteInBatches(db, { table, time, where, days: BOOKKEEPING_RETENTION_DAYS, name: table }, cutoffOf(now, BOOKKEEPING_RETENTION_DAYS), batchSize);
  }
  return deleted;
}
