import type { Session } from './sql';
import type { DatabaseMode } from './migrate';

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
