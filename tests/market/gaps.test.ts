import { describe, expect, it } from 'vitest';
import { detectGaps } from '@/lib/market/gaps';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const at = (...hours: number[]) => hours.map((h) => T0 + h * H);

describe('detectGaps', () => {
  it('finds nothing in a complete series', () => {
    expect(detectGaps(at(0, 1, 2, 3), '1h')).toEqual([]);
  });

  it('finds each run of missing candles', () => {
    expect(detectGaps(at(0, 1, 4, 5, 7), '1h')).toEqual([
      { from: T0 + 2 * H, to: T0 + 3 * H, missing: 2 },
      { from: T0 + 6 * H, to: T0 + 6 * H, missing: 1 },
    ]);
  });

  it('includes missing candles at the edges of an explicit window', () => {
    expect(detectGaps(at(2, 3), '1h', { from: T0, to: T0 + 5 * H })).toEqual([
      { from: T0, to: T0 + H, missing: 2 },
      { from: T0 + 4 * H, to: T0 + 5 * H, missing: 2 },
    ]);
    expect(detectGaps([], '1h', { from: T0, to: T0 + H })).toEqual([{ from: T0, to: T0 + H, missing: 2 }]);
  });

  it('ignores an empty series without a window, and off-grid times', () => {
    expect(detectGaps([], '1h')).toEqual([]);
    expect(detectGaps([T0, T0 + 30 * 60_000, T0 + H], '1h')).toEqual([]);
  });
});
