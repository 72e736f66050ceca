import type { Session } from './sql';
import type { DatabaseMode } from './migrate';
import { DAY_MS, HOUR_MS } from '../market/time';

/** The hourly/daily read models, by name. The same names exist in every mode (tables or continuous aggregates). */
export const OHLCV_ROLLUPS = ['ml_features_ohlcv_1h', 'ml_features_ohlcv_1d'] as const;
export const SENTIMENT_ROLLUPS = ['ml_features_sentiment_1h', 'ml_features_sentiment_1d'] as const;
export const LABEL_ROLLUPS = ['ml_labels_daily_counts'] as const;
export const ROLLUP_VIEWS: readonly string[] = [...OHLCV_ROLLUPS, ...SENTIMENT_ROLLUPS, ...LABEL_ROLLUPS];

/**
 * After a backfill of old rows: in TimescaleDB mode the refresh policies only look back a few days,
 * so the aggregates over the written range are refreshed explicitly (hourly before daily, which is
 * built on it). Each call must run outside a transaction. In plain mode the triggers already did it.
 */
export async function refreshRollupsForRange(
  db: Session,
  mode: DatabaseMode,
  views: readonly string[],
  from: Date,
  to: Date,
): Promise<void> {
  if (mode !== 'timescale') return;
  const dayStart = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  const dayEnd = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth(), to.getUTCDate() + 1));
  for (const view of views) {
    await db.query(`call refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz)`, [view, dayStart, dayEnd]);
  }
}

/** A refresh window over whole buckets: [from, to). */
export interface BucketWindow {
  from: number;
  to: number;
}

/**
 * Pure: the buckets of `size` holding `times`, as few contiguous windows as cover exactly them,
 * leaving out every bucket on a day before `frozenBefore` (a retention cut-off: those aggregates
 * summarise raw rows that are gone, and a refresh would rebuild them from what is left).
 */
export function touchedBucketWindows(times: readonly number[], size: number, frozenBefore: number | null): BucketWindow[] {
  const starts = [...new Set(times.map((t) => Math.floor(t / size) * size))]
    .filter((b) => frozenBefore === null || Math.floor(b / DAY_MS) * DAY_MS >= frozenBefore)
    .sort((a, b) => a - b);
  const windows: BucketWindow[] = [];
  for (const start of starts) {
    const last = windows[windows.length - 1];
    if (last && last.to === start) last.to = start + size;
    else windows.push({ from: start, to: start + size });
  }
  return windows;
}

/**
 * Where each family's aggregates stop following their rows: sentiment rows follow the 1h tier;
 * label counts carry no timeframe, so the latest cut-off of a timeframe that has labels stored.
 */
const FROZEN_BEFORE = {
  sentiment: `select cutoff from retention_cutoffs where timeframe = '1h'`,
  labels: `select max(c.cutoff) as cutoff from retention_cutoffs c where exists (select 1 from ml_labels l where l.source = 'ohlcv:' || c.timeframe)`,
} as const;

const FAMILY_VIEWS = {
  sentiment: [
    ['ml_features_sentiment_1h', HOUR_MS],
    ['ml_features_sentiment_1d', DAY_MS],
  ],
  labels: [['ml_labels_daily_counts', DAY_MS]],
} as const satisfies Record<keyof typeof FROZEN_BEFORE, readonly (readonly [string, number])[]>;

/**
 * After sentiment rows or labels were written at `times` (any past period): in TimescaleDB mode
 * refreshes exactly the hourly/daily buckets holding them, except those before the retention
 * cut-off (outside any transaction). Plain mode's triggers did the same in the writing statement
 * (migration 0015), so there it is a no-op.
 */
export async function refreshTouchedRollups(db: Session, mode: DatabaseMode, family: keyof typeof FROZEN_BEFORE, times: readonly number[]): Promise<void> {
  if (mode !== 'timescale' || !times.length) return;
  const { rows: [row] } = await db.query<{ cutoff: Date | null }>(FROZEN_BEFORE[family]);
  const frozenBefore = row?.cutoff ? new Date(row.cutoff).getTime() : null;
  for (const [view, size] of FAMILY_VIEWS[family]) {
    for (const w of touchedBucketWindows(times, size, frozenBefore)) {
      await db.query(`call refresh_continuous_aggregate($1::regclass, $2::timestamptz, $3::timestamptz)`, [view, new Date(w.from), new Date(w.to)]);
    }
  }
}
