import { describe, expect, it } from 'vitest';
import { alignDown, isAligned, lastClosedOpenTime, timeframeMs } from '@/lib/market/timeframe';

describe('timeframes', () => {
  it('knows the sizes of the collected timeframes', () => {
    expect(['1m', '5m', '15m', '1h', '4h', '1d', '1w'].map(timeframeMs)).toEqual([
      60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000, 604_800_000,
    ]);
  });

  it('rejects what has no fixed grid or no meaning', () => {
    expect(() => timeframeMs('1M')).toThrow(/unsupported timeframe "1M"/);
    expect(() => timeframeMs('0h')).toThrow(/unsupported/);
    expect(() => timeframeMs('h')).toThrow(/unsupported/);
  });

  it('aligns to the UTC grid, weeks to Mondays', () => {
    const t = Date.UTC(2024, 0, 3, 13, 37, 12); // a Wednesday
    expect(alignDown(t, '1h')).toBe(Date.UTC(2024, 0, 3, 13));
    expect(alignDown(t, '4h')).toBe(Date.UTC(2024, 0, 3, 12));
    expect(alignDown(t, '1d')).toBe(Date.UTC(2024, 0, 3));
    expect(alignDown(t, '1w')).toBe(Date.UTC(2024, 0, 1)); // Monday
    expect(isAligned(Date.UTC(2024, 0, 3, 12), '4h')).toBe(true);
    expect(isAligned(Date.UTC(2024, 0, 3, 13), '4h')).toBe(false);
  });

  it('the last closed candle is the one before the candle containing now', () => {
    expect(lastClosedOpenTime(Date.UTC(2024, 0, 3, 13, 0, 0), '1h')).toBe(Date.UTC(2024, 0, 3, 12));
    expect(lastClosedOpenTime(Date.UTC(2024, 0, 3, 13, 59, 59), '1h')).toBe(Date.UTC(2024, 0, 3, 12));
  });
});
