import { describe, expect, it } from 'vitest';
import { chooseBucket, MAX_CHART_POINTS, pointBudget, pointsFor } from '@/lib/dashboard/buckets';
import { RANGES, RANGE_KEYS } from '@/lib/market/range';
import { DAY_MS, HOUR_MS } from '@/lib/market/time';
import { freshness } from '@/lib/dashboard/thresholds';
import { orderLabelValues } from '@/lib/dashboard/label-values';

describe('chooseBucket', () => {
  it('draws exact candles while they fit, from the raw table', () => {
    expect(chooseBucket('1h', RANGES['1d'])).toMatchObject({ width: '1h', source: 'raw', exact: true, maxPoints: 25 });
    expect(chooseBucket('1h', RANGES['30d'])).toMatchObject({ width: '1h', source: 'raw', exact: true, maxPoints: 721 });
    expect(chooseBucket('1m', RANGES['1d'], 1_500)).toMatchObject({ width: '1m', source: 'raw', exact: true });
  });

  it('reads the hourly rollup for sub-day buckets and the daily one for whole days', () => {
    expect(chooseBucket('1h', RANGES['1y'])).toMatchObject({ width: '12h', source: '1h', exact: false, maxPoints: 731 });
    expect(chooseBucket('1h', RANGES['1y'], 1_500)).toMatchObject({ width: '6h', source: '1h' });
    expect(chooseBucket('1h', RANGES['1y'], 400)).toMatchObject({ width: '1d', source: '1d' });
    expect(chooseBucket('1m', RANGES['1w'])).toMatchObject({ width: '15m', source: 'raw', exact: false });
    expect(chooseBucket('15m', RANGES['90d'], 1_500)).toMatchObject({ width: '2h', source: '1h' });
    expect(chooseBucket('1d', RANGES['1y'])).toMatchObject({ width: '1d', source: 'raw', exact: true });
  });

  it('keeps buckets a whole number of candles', () => {
    // 4h candles never go into 6h buckets, which would split a candle between two points.
    expect(chooseBucket('4h', RANGES['1y'], 1_500)).toMatchObject({ width: '8h' });
    expect(chooseBucket('4h', RANGES['1y'], 1_500).widthMs % (4 * HOUR_MS)).toBe(0);
    expect(chooseBucket('1w', RANGES['1y'])).toMatchObject({ width: '1w', exact: true });
  });

  it('never plans more points than asked, and clamps any ask to what a chart can draw', () => {
    for (const timeframe of ['1m', '5m', '15m', '1h', '4h', '1d']) {
      for (const range of RANGE_KEYS) {
        for (const asked of [60, 300, 1_000, 1_500, 100_000]) {
          const choice = chooseBucket(timeframe, RANGES[range], asked);
          expect(choice.maxPoints, `${timeframe} ${range} ${asked}`).toBeLessThanOrEqual(Math.min(asked, MAX_CHART_POINTS));
          expect(choice.maxPoints).toBe(pointsFor(RANGES[range], choice.widthMs));
        }
      }
    }
    expect(chooseBucket('1m', RANGES['1y'], 1e9).maxPoints).toBeLessThanOrEqual(MAX_CHART_POINTS);
    expect(chooseBucket('1h', RANGES['1y'], 2).maxPoints).toBeLessThanOrEqual(60);
  });
});

describe('pointBudget', () => {
  it('asks for a candle per 2.5 pixels, within what a chart can draw', () => {
    expect(pointBudget(1_140)).toBe(456);
    expect(pointBudget(250)).toBe(120);
    expect(pointBudget(10_000)).toBe(MAX_CHART_POINTS);
    // A laptop-wide year of hourly candles: daily candles from the daily rollup.
    expect(chooseBucket('1h', RANGES['1y'], pointBudget(1_140))).toMatchObject({ width: '1d', source: '1d' });
    expect(chooseBucket('1h', RANGES['1w'], pointBudget(1_140))).toMatchObject({ width: '1h', exact: true });
  });
});

describe('freshness', () => {
  const newest = Date.UTC(2024, 0, 1, 10);
  it('is on time until a candle is due and its slack has passed, amber for a few missed candles, red beyond', () => {
    // The 10:00 candle closes at 11:00; the 11:00 one at 12:00 (+5 min slack).
    expect(freshness(newest, '1h', newest + HOUR_MS + 30 * 60_000)).toMatchObject({ status: 'ok', missedCandles: 0 });
    expect(freshness(newest, '1h', newest + 2 * HOUR_MS + 4 * 60_000)).toMatchObject({ status: 'ok', missedCandles: 0 });
    expect(freshness(newest, '1h', newest + 2 * HOUR_MS + 6 * 60_000)).toMatchObject({ status: 'warn', missedCandles: 1 });
    expect(freshness(newest, '1h', newest + 5 * HOUR_MS + 6 * 60_000)).toMatchObject({ status: 'bad', missedCandles: 4 });
    expect(freshness(newest, '1d', newest + DAY_MS + HOUR_MS).status).toBe('ok');
    expect(freshness(null, '1h', newest)).toEqual({ lagMs: null, missedCandles: null, status: 'none' });
  });
});

describe('orderLabelValues', () => {
  it('orders bearish to bullish, numbers ascending, unknown last', () => {
    expect(orderLabelValues(['up', 'flat', 'down'])).toEqual(['down', 'flat', 'up']);
    expect(orderLabelValues(['1', '-1', '0', '1'])).toEqual(['-1', '0', '1']);
    expect(orderLabelValues(['buy', 'zebra', 'sell', 'hold'])).toEqual(['sell', 'hold', 'buy', 'zebra']);
  });
});
