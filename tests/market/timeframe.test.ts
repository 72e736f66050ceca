import { describe, expect, it } from 'vitest';
import { cronFor } from '@/lib/jobs/definitions';
import { RANGE_KEYS, RANGES, rangeKeyOr } from '@/lib/market/range';
import { alignDown, compareTimeframes, isAligned, isTimeframe, lastClosedOpenTime, TIMEFRAMES, timeframeMs } from '@/lib/market/timeframe';

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

describe('the timeframe vocabulary', () => {
  it('sizes, sorts and schedules every timeframe on the one list', () => {
    expect(TIMEFRAMES.map(timeframeMs)).toEqual([...TIMEFRAMES.map(timeframeMs)].sort((a, b) => a - b));
    expect([...TIMEFRAMES].reverse().sort(compareTimeframes)).toEqual([...TIMEFRAMES]);
    expect(['1m', '3m', '15m', '1h', '4h', '12h', '1d', '1w'].map(cronFor)).toEqual([
      '* * * * *', '*/3 * * * *', '*/15 * * * *', '0 * * * *', '0 */4 * * *', '0 */12 * * *', '0 0 * * *', '0 0 * * 1',
    ]);
    // Every timeframe on the list can be scheduled.
    for (const timeframe of TIMEFRAMES) expect(() => cronFor(timeframe), timeframe).not.toThrow();
    expect(() => cronFor('7m')).toThrow(/no schedule for timeframe 7m/);
  });

  it('keeps range keys apart from timeframes: no range reads as a shorter timeframe', () => {
    for (const key of RANGE_KEYS) {
      if (isTimeframe(key)) expect(timeframeMs(key), key).toBe(RANGES[key]);
    }
    expect(rangeKeyOr('1m', '1d')).toBe('30d');
    expect(rangeKeyOr('1h', '1d')).toBe('1d');
  });
});
