import { describe, expect, it } from 'vitest';
import { computeOhlcvFeatures, FEATURE_COLUMNS, type OhlcvFeatures } from '@/lib/features';
import type { Candle } from '@/lib/market/candle';
import { randomCandles } from './data';

/** Features of rows 0..t must not change when anything after t changes. */
function expectSamePrefix(a: OhlcvFeatures[], b: OhlcvFeatures[], t: number): void {
  for (let i = 0; i <= t; i++) {
    for (const column of FEATURE_COLUMNS) {
      if (!Object.is(a[i][column], b[i][column])) {
        expect.fail(`row ${i} ${column} changed from ${a[i][column]} to ${b[i][column]} when only candles after ${t} changed`);
      }
    }
  }
}

describe('no lookahead', () => {
  const candles = randomCandles(1500, 3);
  const original = computeOhlcvFeatures(candles);

  it.each([0, 30, 250, 1000, 1498])('rows up to %i ignore different later prices and volumes', (t) => {
    const changed: Candle[] = candles.map((c, i) =>
      i <= t ? c : { ...c, open: c.open * 1.7, high: c.high * 2, low: c.low * 0.5, close: c.close * 1.3, volume: c.volume * 9 + 1 },
    );
    const features = computeOhlcvFeatures(changed);
    expectSamePrefix(original, features, t);
    // The change must reach the features after t, or this test could not see a leak.
    expect(features[t + 1].return_1).not.toBe(original[t + 1].return_1);
  });

  it('rows ignore candles appended later and a shortened series', () => {
    const extra = randomCandles(200, 11, candles[candles.length - 1].timestamp + 3_600_000);
    expectSamePrefix(original, computeOhlcvFeatures([...candles, ...extra]), candles.length - 1);
    expectSamePrefix(original, computeOhlcvFeatures(candles.slice(0, 700)), 699);
  });
});
