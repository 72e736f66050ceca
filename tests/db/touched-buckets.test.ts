import { describe, expect, it } from 'vitest';
import { touchedBucketWindows } from '@/lib/db/rollups';
import { DAY_MS, HOUR_MS } from '@/lib/market/time';

const T0 = Date.UTC(2024, 5, 10);

describe('touchedBucketWindows', () => {
  it('covers exactly the buckets holding the times, merging neighbours', () => {
    const times = [T0 + 5 * HOUR_MS + 1, T0 + 6 * HOUR_MS, T0 + 5 * HOUR_MS, T0 + 9 * HOUR_MS + 59_000];
    expect(touchedBucketWindows(times, HOUR_MS, null)).toEqual([
      { from: T0 + 5 * HOUR_MS, to: T0 + 7 * HOUR_MS },
      { from: T0 + 9 * HOUR_MS, to: T0 + 10 * HOUR_MS },
    ]);
    expect(touchedBucketWindows(times, DAY_MS, null)).toEqual([{ from: T0, to: T0 + DAY_MS }]);
    expect(touchedBucketWindows([], HOUR_MS, null)).toEqual([]);
  });

  it('leaves out the buckets on days before the retention cut-off', () => {
    const times = [T0 - DAY_MS + 3 * HOUR_MS, T0 + 2 * HOUR_MS, T0 + DAY_MS];
    expect(touchedBucketWindows(times, HOUR_MS, T0)).toEqual([
      { from: T0 + 2 * HOUR_MS, to: T0 + 3 * HOUR_MS },
      { from: T0 + DAY_MS, to: T0 + DAY_MS + HOUR_MS },
    ]);
    expect(touchedBucketWindows(times, DAY_MS, T0)).toEqual([{ from: T0, to: T0 + 2 * DAY_MS }]);
  });
});
