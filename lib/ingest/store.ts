import { schemaMode } from '@/lib/db/info';
import { OHLCV_ROLLUPS, refreshRollupsForRange } from '@/lib/db/rollups';
import type { Candle } from '@/lib/market/candle';
import { DAY_MS } from '@/lib/market/time';
import type { RejectedRow } from '@/lib/market/validate';
import type { Series } from './series';
import { inTransaction, type Session } from '@/lib/db/sql';
import { storeCandleBatches } from './store-batch';

export { FEATURE_TOLERANCE, storeCandleBatches, warmupCandles } from './store-batch';

export interface StoreCandlesRequest extends Series {
  /** Where the candles came from: an exchange id, a file's name, or 'simulated'. */
  source: string;
  /** Validated candles, ascending by open time, no duplicates. */
  candles: readonly Candle[];
  /** Rows validation rejected: quarantined in the same transaction. */
  rejected?: readonly RejectedRow[];
  /**
   * Whether stored candles after this batch get their features recomputed (default true). A
   * backfill that writes many batches before existing data defers it to one `recomputeFeatures`.
   */
  recomputeAfter?: boolean;
  /** Recompute stored features from this open time on, even where no candle changed. */
  recomputeFrom?: number;
  featureVersion?: string;
  /** Wall clock for deciding whether TimescaleDB rollups need an explicit refresh. */
  now?: number;
  /** Refresh TimescaleDB rollups of old ranges after commit (default true); a backfill does it once at the end. */
  refreshRollups?: boolean;
}

export interface StoreResult {
  /** Rows inserted or changed. */
  written: number;
  /** Simulated rows that real candles replaced (each recorded in simulated_replacements). */
  replaced: number;
  /** Simulated candles not stored because a real candle already holds that time. */
  keptReal: number;
  quarantined: number;
  /** Open times of the rows written, if any. */
  range: { from: number; to: number } | null;
}

// Rollup refresh policies look back 3 days (hourly); older writes need an explicit refresh.
const ROLLUP_POLICY_REACH_MS = 2 * DAY_MS;

/**
 * Stores candles of one series with their features, in one transaction (see storeCandleBatches:
 * the engine continues from the series' checkpoint, new candles are merged in, real replaces
 * simulated and never the reverse, only rows that differ are written, rejected rows and
 * replacements land in the same transaction). In TimescaleDB mode the rollups of old ranges are
 * refreshed after commit.
 */
export async function storeCandles(db: Session, request: StoreCandlesRequest): Promise<StoreResult> {
  const [result] = await inTransaction(db, () => storeCandleBatches(db, [request]));
  if (result!.range && request.refreshRollups !== false) await refreshOldRollups(db, result!.range, request.now);
  return result!;
}

/**
 * TimescaleDB's refresh policies only look a few days back: rows written further back need an
 * explicit refresh, outside any transaction. Plain mode's triggers already did it (no-op there).
 */
export async function refreshOldRollups(db: Session, range: { from: number; to: number }, now = Date.now()): Promise<void> {
  if (range.from >= now - ROLLUP_POLICY_REACH_MS) return;
  const mode = await schemaMode(db);
  if (mode !== 'timescale') return;
  // A refresh rebuilds every timeframe's buckets in its window: it starts after the days where a
  // timeframe has aggregates of raw rows retention dropped, so none of them shrinks.
  const { rows: [guard] } = await db.query<{ after: Date | null }>(
    `select max(c.cutoff) as after from retention_cutoffs c
     where c.cutoff > $1 and exists (
       select 1 from ml_features_ohlcv_1d a where a.timeframe = c.timeframe and a.bucket >= date_trunc('day', $1::timestamptz, 'UTC') and a.bucket <= $2 and a.bucket < c.cutoff
     )`,
    [new Date(range.from), new Date(range.to)],
  );
  const from = guard?.after ? Math.max(range.from, Date.UTC(guard.after.getUTCFullYear(), guard.after.getUTCMonth(), guard.after.getUTCDate() + 1)) : range.from;
  if (from <= range.to) await refreshRollupsForRange(db, mode, OHLCV_ROLLUPS, new Date(from), new Date(range.to));
}

/** Recomputes the stored features of a series from `from` on (after a deferred backfill). */
export function recomputeFeatures(db: Session, series: Series, from: number, featureVersion?: string): Promise<StoreResult> {
  // No new candles: `source` names no row, stored rows keep their own.
  return storeCandles(db, { ...series, source: 'recompute', candles: [], recomputeFrom: from, featureVersion });
}
