import { FEATURE_DEFINITIONS, FEATURE_COLUMNS } from '@/lib/features';

/**
 * The per-row gap marker `candles_since_gap`: how many candles in a row, ending at this one, the
 * series has without a missing open time. A window of w candles ending at the row crosses no gap
 * exactly when candles_since_gap ≥ w. Pure: open times in, counts out.
 */
export interface MarkedCandle {
  timestamp: number;
  candlesSinceGap: number | null;
}

/**
 * Counts for `timestamps` (ascending), continuing from `history` (the stored rows just before,
 * ascending). A history row stored before the marker existed (null) is counted from the history.
 */
export function gapMarkers(history: readonly MarkedCandle[], timestamps: readonly number[], stepMs: number): number[] {
  let count = 0;
  let last: number | undefined;
  const previous = history[history.length - 1];
  if (previous) {
    last = previous.timestamp;
    if (previous.candlesSinceGap !== null) count = previous.candlesSinceGap;
    else {
      count = 1;
      for (let i = history.length - 1; i > 0 && history[i]!.timestamp - history[i - 1]!.timestamp === stepMs; i--) count += 1;
    }
  }
  return timestamps.map((t) => {
    count = last !== undefined && t - last === stepMs ? count + 1 : 1;
    last = t;
    return count;
  });
}

/**
 * Consecutive candles every feature needs for its window to hold no gap: the longest warm-up
 * (SMA 200 needs 200 candles), as for a series that just started. Rows with fewer candles since
 * the last gap have at least one feature computed across it (a "1-candle return" over 5 hours).
 */
export const GAP_FREE_CANDLES = Math.max(...FEATURE_COLUMNS.map((c) => FEATURE_DEFINITIONS[c].firstRow)) + 1;
