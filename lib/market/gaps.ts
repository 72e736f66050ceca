import { alignDown, timeframeMs } from './timeframe';

/** A run of missing candles: open times `from` to `to` inclusive, `missing` of them. */
export interface Gap {
  from: number;
  to: number;
  missing: number;
}

export interface GapRange {
  /** First open time that should exist (inclusive). Defaults to the first stored timestamp. */
  from?: number;
  /** Last open time that should exist (inclusive). Defaults to the last stored timestamp. */
  to?: number;
}

/**
 * Missing candles in a stored series: pure, sorted open times in, runs of missing open times out.
 * Open times off the timeframe's grid are ignored (validation keeps them out of storage anyway).
 */
export function detectGaps(timestamps: readonly number[], timeframe: string, range: GapRange = {}): Gap[] {
  const size = timeframeMs(timeframe);
  const first = range.from ?? timestamps[0];
  const last = range.to ?? timestamps[timestamps.length - 1];
  if (first === undefined || last === undefined) return [];
  const start = alignDown(first, timeframe) + (alignDown(first, timeframe) < first ? size : 0);
  const end = alignDown(last, timeframe);
  if (end < start) return [];

  const gaps: Gap[] = [];
  let expected = start;
  const close = (until: number) => {
    if (until >= expected) gaps.push({ from: expected, to: until, missing: (until - expected) / size + 1 });
  };
  for (const timestamp of timestamps) {
    if (timestamp < expected || timestamp > end || alignDown(timestamp, timeframe) !== timestamp) continue;
    close(timestamp - size);
    expected = timestamp + size;
  }
  close(end);
  return gaps;
}
