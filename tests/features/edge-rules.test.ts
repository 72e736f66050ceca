import { describe, expect, it } from 'vitest';
import { computeOhlcvFeatures } from '@/lib/features';
import type { Candle } from '@/lib/market/candle';

const HOUR = 3_600_000;
const DAY_START = Date.UTC(2024, 2, 1);

function candle(i: number, high: number, low: number, close: number, volume = 10, timestamp = DAY_START + i * HOUR): Candle {
  return { timestamp, open: close, high, low, close, volume };
}

describe('directional movement: a tie between up-move and down-move counts for neither side', () => {
  it('+DI and −DI after 13 tie candles and one clean up-move', () => {
    // Each tie candle widens the range by 1 up and 1 down; candle 14 only moves up, by 2.
    const candles = [candle(0, 100, 90, 95)];
    for (let i = 1; i <= 13; i++) candles.push(candle(i, 100 + i, 90 - i, 95));
    candles.push(candle(14, 115, 77, 95));
    const row = computeOhlcvFeatures(candles)[14];

    // True ranges are the widening ranges 12, 14, …, 36, then 38; Wilder's TR14 at row 14:
    const trSum = Array.from({ length: 13 }, (_, k) => 10 + 2 * (k + 1)).reduce((a, b) => a + b, 0);
    const tr14 = trSum - trSum / 14 + 38;
    expect(row.minus_di).toBe(0);
    // Counting ties for both sides would give +DM = 13 − 13/14 + 2 and −DM = 13 − 13/14 here.
    expect(row.plus_di).toBeCloseTo((100 * 2) / tr14, 12);
  });

  it('ADX is exactly 100 when every candle is either an up-move or a tie', () => {
    const candles = [candle(0, 100, 90, 95)];
    let high = 100;
    let low = 90;
    for (let i = 1; i < 60; i++) {
      high += 1;
      if (i % 2 === 1) low -= 1; // tie: up 1, down 1
      candles.push(candle(i, high, low, (high + low) / 2));
    }
    const rows = computeOhlcvFeatures(candles);
    expect(rows[26].adx).toBeNull();
    for (let i = 27; i < 60; i++) {
      expect(rows[i].minus_di, `row ${i}`).toBe(0);
      expect(rows[i].adx, `row ${i}`).toBeCloseTo(100, 10);
    }
  });
});

describe('MFI: a typical price equal to the previous one adds to neither flow', () => {
  // With high = low = close the typical price is the close itself.
  const typicals = [10, 11, 11, 10.5, 10.5, 12, 12, 12, 11, 13, 13, 12.5, 14, 14, 13, 13];
  const volumes = [5, 3, 40, 2, 50, 4, 30, 20, 6, 1, 45, 7, 2, 60, 3, 80];
  const candles = typicals.map((tp, i) => candle(i, tp, tp, tp, volumes[i]));

  function expectedMfi(row: number, tieCountsAs: 'neither' | 'negative'): number {
    let positive = 0;
    let negative = 0;
    for (let i = row - 13; i <= row; i++) {
      const flow = typicals[i] * volumes[i];
      if (typicals[i] > typicals[i - 1]) positive += flow;
      else if (typicals[i] < typicals[i - 1] || tieCountsAs === 'negative') negative += flow;
    }
    return (100 * positive) / (positive + negative);
  }

  it('matches positive / (positive + negative) with ties left out', () => {
    const rows = computeOhlcvFeatures(candles);
    expect(rows[13].mfi).toBeNull();
    for (const row of [14, 15]) {
      expect(rows[row].mfi).toBeCloseTo(expectedMfi(row, 'neither'), 10);
      // The heavy tie volumes make the rule matter: counting them as negative is far off.
      expect(Math.abs(rows[row].mfi! - expectedMfi(row, 'negative'))).toBeGreaterThan(10);
    }
  });

  it('is 0 when the total money flow is below 1, as in TA-Lib', () => {
    const tiny = candles.map((c) => ({ ...c, volume: 0.001 }));
    expect(computeOhlcvFeatures(tiny)[15].mfi).toBe(0);
  });
});

describe('session VWAP', () => {
  it('resets at 00:00 UTC', () => {
    const lateDay = Date.UTC(2024, 2, 1, 22);
    const candles = [
      candle(0, 12, 9, 10.5, 4, lateDay),
      candle(1, 13, 10, 11.5, 6, lateDay + HOUR),
      candle(2, 20, 18, 19, 5, lateDay + 2 * HOUR), // 00:00 next day
      candle(3, 22, 19, 21, 15, lateDay + 3 * HOUR),
    ];
    const vwap = computeOhlcvFeatures(candles).map((row) => row.vwap);
    const typical = candles.map((c) => (c.high + c.low + c.close) / 3);
    expect(vwap[1]).toBeCloseTo((typical[0] * 4 + typical[1] * 6) / 10, 12);
    expect(vwap[2]).toBeCloseTo(typical[2], 12);
    expect(vwap[3]).toBeCloseTo((typical[2] * 5 + typical[3] * 15) / 20, 12);
  });

  it('uses the typical price while the session has no volume yet', () => {
    const candles = [
      candle(0, 12, 9, 10.5, 4, DAY_START - HOUR),
      candle(1, 13, 10, 11.5, 0, DAY_START),
      candle(2, 14, 11, 12.5, 0, DAY_START + HOUR),
      candle(3, 15, 12, 13.5, 2, DAY_START + 2 * HOUR),
      candle(4, 17, 15, 16, 0, DAY_START + 3 * HOUR),
    ];
    const vwap = computeOhlcvFeatures(candles).map((row) => row.vwap);
    expect(vwap[1]).toBe((13 + 10 + 11.5) / 3);
    expect(vwap[2]).toBe((14 + 11 + 12.5) / 3);
    expect(vwap[3]).toBe((15 + 12 + 13.5) / 3);
    // Once the session has volume, an empty candle no longer moves the VWAP.
    expect(vwap[4]).toBe(vwap[3]);
  });
});

describe('a perfectly flat market follows TA-Lib’s zero rules', () => {
  const rows = computeOhlcvFeatures(Array.from({ length: 60 }, (_, i) => candle(i, 100, 100, 100, 10)));
  const last = rows[59];

  it('oscillators are 0, not 50/100/NaN', () => {
    expect(rows[14].rsi).toBe(0);
    expect(last.rsi).toBe(0);
    expect(last.williams_r).toBe(0);
    expect(last.stoch_k).toBe(0);
    expect(last.stoch_d).toBe(0);
    expect(last.cci).toBe(0);
    expect(last.mfi).toBe(0);
    expect(last.plus_di).toBe(0);
    expect(last.minus_di).toBe(0);
    expect(last.adx).toBe(0);
  });

  it('bands collapse onto the price and the constant volume has no z-score', () => {
    expect([last.bollinger_upper, last.bollinger_middle, last.bollinger_lower]).toEqual([100, 100, 100]);
    expect(last.keltner_width).toBe(0);
    expect(last.donchian_width).toBe(0);
    expect(last.realized_vol_24).toBe(0);
    expect(last.volume_zscore_20).toBeNull();
  });
});
