import type { RollupWatermarks } from '@/lib/db/aggregate-watermarks';
import { HOUR_MS } from '@/lib/market/time';

/**
 * Which table serves which part of a candle-rollup read in TimescaleDB mode. The rollups there are
 * real-time continuous aggregates: buckets past an aggregate's watermark are aggregated from its
 * source at query time, and the daily one is stacked on the hourly one — right after a migration or
 * a restore (nothing materialized) a one-year chart aggregated every column of every raw row twice,
 * and /api/quality the whole table. Instead, each request reads each level's materialized buckets
 * up to its watermark and aggregates only the rest from raw rows itself (only the columns it needs),
 * within a bound: never years of raw rows on a request. Buckets beyond the bound are left out until
 * ff_catch_up_aggregates has materialized them (as while it runs, with the aggregate
 * materialized-only).
 */

/** The most raw candles one request aggregates past the watermark (~139 days of 1m, years of 1h). */
export const RAW_READ_BOUND_CANDLES = 200_000;

export type RollupTable = 'ml_features_ohlcv_1d' | 'ml_features_ohlcv_1h' | 'ml_features_ohlcv';

export interface RollupPart {
  table: RollupTable;
  /** [from, to) in epoch ms. */
  from: number;
  to: number;
}

/**
 * Pure: the parts of [from, to) a read of `source` takes from each level — the daily aggregate up
 * to its watermark, the hourly one up to its own, raw rows after that (whole hours, at most
 * `boundCandles` of the series' timeframe, the newest). Without watermarks (plain mode) the source
 * table serves the whole window.
 */
export function planRollupRead(
  source: '1h' | '1d',
  window: { from: number; to: number },
  watermarks: RollupWatermarks | null,
  timeframeMs: number,
  boundCandles = RAW_READ_BOUND_CANDLES,
): RollupPart[] {
  const sourceTable: RollupTable = source === '1d' ? 'ml_features_ohlcv_1d' : 'ml_features_ohlcv_1h';
  if (!watermarks) return [{ table: sourceTable, ...window }];
  const levels: [RollupTable, number][] = source === '1d'
    ? [['ml_features_ohlcv_1d', watermarks.daily], ['ml_features_ohlcv_1h', watermarks.hourly]]
    : [['ml_features_ohlcv_1h', watermarks.hourly]];
  const parts: RollupPart[] = [];
  let start = window.from;
  for (const [table, watermark] of levels) {
    const end = Math.min(window.to, Math.max(start, watermark));
    if (end > start) parts.push({ table, from: start, to: end });
    start = Math.max(start, end);
  }
  const rawFrom = Math.max(start, Math.ceil((window.to - boundCandles * timeframeMs) / HOUR_MS) * HOUR_MS);
  if (window.to > rawFrom) parts.push({ table: 'ml_features_ohlcv', from: rawFrom, to: window.to });
  return parts;
}
