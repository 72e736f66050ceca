import { DAY_MS, WEEK_MS } from './time';

/**
 * The windows the pages show, a day to a year. Keys are counted in days, weeks or a year, never in
 * months: `1m` is a minute as a timeframe, so a range of a month is `30d`.
 */
export const RANGES = { '1d': DAY_MS, '1w': WEEK_MS, '30d': 30 * DAY_MS, '90d': 90 * DAY_MS, '180d': 180 * DAY_MS, '1y': 365 * DAY_MS } as const;
export type RangeKey = keyof typeof RANGES;
export const RANGE_KEYS = Object.keys(RANGES) as RangeKey[];

/** Keys of earlier versions, still in bookmarks: `1m` was a month, `3m` and `6m` a quarter and a half year. */
export const LEGACY_RANGE_KEYS: Readonly<Record<string, RangeKey>> = { '1m': '30d', '3m': '90d', '6m': '180d' };

/** How the pages' range switch labels each key. */
export const RANGE_LABELS: Readonly<Record<RangeKey, string>> = { '1d': '1D', '1w': '1W', '30d': '1M', '90d': '3M', '180d': '6M', '1y': '1Y' };

export function isRangeKey(text: string | undefined): text is RangeKey {
  return text !== undefined && Object.hasOwn(RANGES, text);
}

/** A range key from a URL, old spellings translated; anything else gives `fallback`. */
export function rangeKeyOr(text: string | undefined, fallback: RangeKey): RangeKey {
  if (isRangeKey(text)) return text;
  return (text !== undefined && LEGACY_RANGE_KEYS[text]) || fallback;
}
