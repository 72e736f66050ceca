import { DAY_MS, durationMs, HOUR_MS } from '@/lib/market/time';

/**
 * Which rows a chart reads: pure, a timeframe, a range and a point budget in, a bucket width and the
 * table to read out. Shared by the API (to plan the query) and the pages (to say what is drawn).
 */
/** A chart draws at most this many points: beyond it candles are thinner than a pixel on any screen. */
export const MAX_CHART_POINTS = 1_500;
export const DEFAULT_CHART_POINTS = 1_000;
/** Enough for a year of weekly buckets, the coarsest width. */
export const MIN_CHART_POINTS = 60;

/** A candle needs about this many pixels to show a body and a wick apart from its neighbours. */
export const PIXELS_PER_CANDLE = 2.5;

/** The point budget a chart of this width (CSS pixels) asks for: as many candles as stay readable. */
export function pointBudget(widthPx: number): number {
  return Math.round(Math.min(MAX_CHART_POINTS, Math.max(2 * MIN_CHART_POINTS, widthPx / PIXELS_PER_CANDLE)));
}

/** Bucket widths a chart may use, smallest first; each is a whole number of the ones it rebuckets. */
const WIDTHS = ['1m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '2d', '3d', '1w'] as const;

/**
 * raw: ml_features_ohlcv (exact candles when width equals the timeframe, else re-bucketed);
 * 1h / 1d: the hourly or daily rollup, re-bucketed when the width is larger.
 */
export type BucketSource = 'raw' | '1h' | '1d';

export interface BucketChoice {
  /** e.g. '6h'. */
  width: string;
  widthMs: number;
  source: BucketSource;
  /** True when each point is one stored candle (width equals the timeframe). */
  exact: boolean;
  /** Upper bound on the points the range can produce at this width. */
  maxPoints: number;
}

/** Points a range [end - range, end] can touch at a width: partial buckets at both ends count. */
export function pointsFor(rangeMs: number, widthMs: number): number {
  return Math.floor(rangeMs / widthMs) + 1;
}

/**
 * The finest width that keeps the range within `maxPoints` (clamped to MAX_CHART_POINTS), never finer
 * than the timeframe and always a whole number of candles, and the cheapest table that holds it.
 */
export function chooseBucket(timeframe: string, rangeMs: number, maxPoints = DEFAULT_CHART_POINTS): BucketChoice {
  const budget = Math.max(MIN_CHART_POINTS, Math.min(MAX_CHART_POINTS, Math.floor(maxPoints)));
  const timeframeMs = durationMs(timeframe);
  const candidates = [timeframe, ...WIDTHS]
    .map((width) => ({ width, widthMs: durationMs(width) }))
    .filter(({ widthMs }) => widthMs >= timeframeMs && widthMs % timeframeMs === 0)
    .sort((a, b) => a.widthMs - b.widthMs);
  const fits = candidates.find(({ widthMs }) => pointsFor(rangeMs, widthMs) <= budget);
  // Nothing fits only for absurd ranges: the coarsest width is still the best answer.
  const { width, widthMs } = fits ?? candidates[candidates.length - 1]!;
  const exact = widthMs === timeframeMs;
  const source: BucketSource = exact || widthMs < HOUR_MS ? 'raw' : widthMs % DAY_MS === 0 && timeframeMs <= DAY_MS ? '1d' : '1h';
  return { width, widthMs, source, exact, maxPoints: pointsFor(rangeMs, widthMs) };
}
