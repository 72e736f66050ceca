import { describe, expect, it } from 'vitest';
import { computeOhlcvFeatures, FEATURE_COLUMNS, FEATURE_DEFINITIONS, type ExtraFeatureColumn } from '@/lib/features';
import { randomCandles, relativeError } from './data';

/**
 * The extra features without a TA-Lib counterpart, against their definitions written out
 * plainly over arrays (TA-Lib-backed extras are checked in binance-talib.test.ts).
 */
const candles = randomCandles(600, 5);
const close = candles.map((c) => c.close);
const high = candles.map((c) => c.high);
const low = candles.map((c) => c.low);
const volume = candles.map((c) => c.volume);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const populationStdDev = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

const DEFINITIONS: Partial<Record<ExtraFeatureColumn, (t: number) => number | null>> = {
  return_1: (t) => (t >= 1 ? close[t] / close[t - 1] - 1 : null),
  return_4: (t) => (t >= 4 ? close[t] / close[t - 4] - 1 : null),
  return_24: (t) => (t >= 24 ? close[t] / close[t - 24] - 1 : null),
  log_return_1: (t) => (t >= 1 ? Math.log(close[t] / close[t - 1]) : null),
  log_return_4: (t) => (t >= 4 ? Math.log(close[t] / close[t - 4]) : null),
  log_return_24: (t) => (t >= 24 ? Math.log(close[t] / close[t - 24]) : null),
  realized_vol_24: (t) => {
    if (t < 24) return null;
    const logReturns = Array.from({ length: 24 }, (_, k) => Math.log(close[t - k] / close[t - k - 1]));
    return populationStdDev(logReturns);
  },
  donchian_width: (t) =>
    t >= 19 ? (Math.max(...high.slice(t - 19, t + 1)) - Math.min(...low.slice(t - 19, t + 1))) / close[t] : null,
  volume_zscore_20: (t) => {
    if (t < 19) return null;
    const window = volume.slice(t - 19, t + 1);
    const spread = populationStdDev(window);
    return spread === 0 ? null : (volume[t] - mean(window)) / spread;
  },
  dist_sma_200: (t) => (t >= 199 ? close[t] / mean(close.slice(t - 199, t + 1)) - 1 : null),
};

describe('extra features follow their definitions', () => {
  const rows = computeOhlcvFeatures(candles);

  it.each(Object.keys(DEFINITIONS) as ExtraFeatureColumn[])('%s', (column) => {
    const definition = DEFINITIONS[column]!;
    const mismatches: string[] = [];
    rows.forEach((row, t) => {
      const expected = definition(t);
      const actual = row[column];
      const same = expected === null || actual === null ? expected === actual : relativeError(expected, actual) <= 1e-12;
      if (!same) mismatches.push(`row ${t}: expected ${expected}, got ${actual}`);
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});

describe('FEATURE_DEFINITIONS', () => {
  const rows = computeOhlcvFeatures(candles);

  it.each([...FEATURE_COLUMNS])('%s has its first value at the documented row', (column) => {
    expect(rows.findIndex((row) => row[column] !== null)).toBe(FEATURE_DEFINITIONS[column].firstRow);
  });
});
