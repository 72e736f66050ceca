import { describe, expect, it } from 'vitest';
import type { Candle } from '@/lib/market/candle';
import { validateCandles, type RejectionRule } from '@/lib/market/validate';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const NOW = T0 + 100 * H;
const candle = (i: number, close = 100, extra: Partial<Candle> = {}): Candle => ({
  timestamp: T0 + i * H,
  open: close,
  high: close + 1,
  low: close - 1,
  close,
  volume: 10,
  ...extra,
});
const tuple = (c: Candle) => [c.timestamp, c.open, c.high, c.low, c.close, c.volume];
const options = { timeframe: '1h', now: NOW };

/** One bad row between two good ones: the bad one alone is rejected, for the named rule. */
function rejectsAlone(bad: unknown, rule: RejectionRule, reason: RegExp) {
  const result = validateCandles([tuple(candle(0)), bad, tuple(candle(5))], options);
  expect(result.rejected).toHaveLength(1);
  expect(result.rejected[0]).toMatchObject({ rule });
  expect(result.rejected[0]!.reason).toMatch(reason);
  expect(result.accepted.map((c) => c.timestamp)).toEqual([T0, T0 + 5 * H]);
  return result.rejected[0]!;
}

describe('validateCandles', () => {
  it('accepts good rows as candles, sorted by time', () => {
    const rows = [tuple(candle(2)), tuple(candle(1)), candle(3)];
    const result = validateCandles(rows, options);
    expect(result.rejected).toEqual([]);
    expect(result.accepted.map((c) => c.timestamp)).toEqual([T0 + H, T0 + 2 * H, T0 + 3 * H]);
  });

  it('required: missing fields, and rows of no known shape', () => {
    const rejected = rejectsAlone([T0 + H, 100, null, 99, 100, 10], 'required', /missing high/);
    expect(rejected.payload).toEqual([T0 + H, 100, null, 99, 100, 10]);
    expect(rejected.timestamp).toBe(T0 + H);
    rejectsAlone('garbage', 'required', /neither/);
    rejectsAlone([T0 + H, 100, 101, 99], 'required', /missing close, volume/);
  });

  it('finite: NaN, Infinity and strings, kept readable in the payload', () => {
    const rejected = rejectsAlone([T0 + H, 100, Infinity, 99, 100, 10], 'finite', /high=Infinity/);
    expect(rejected.payload).toEqual([T0 + H, 100, 'Infinity', 99, 100, 10]);
    rejectsAlone([T0 + H, '100', 101, 99, 100, 10], 'finite', /open=100/);
    rejectsAlone([T0 + H + 0.5, 100, 101, 99, 100, 10], 'finite', /not whole milliseconds/);
  });

  it('positive prices', () => {
    rejectsAlone(tuple(candle(1, 100, { low: 0 })), 'positive', /> 0/);
  });

  it('high ≥ max(open, close) and low ≤ min(open, close)', () => {
    rejectsAlone(tuple(candle(1, 100, { high: 99.5 })), 'high', /high 99.5 is below max\(open 100, close 100\)/);
    rejectsAlone(tuple(candle(1, 100, { low: 100.5 })), 'low', /low 100.5 is above min/);
  });

  it('volume ≥ 0', () => {
    rejectsAlone(tuple(candle(1, 100, { volume: -1 })), 'volume', /negative/);
  });

  it('timestamps on the timeframe grid and not in the future', () => {
    rejectsAlone(tuple({ ...candle(1), timestamp: T0 + H + 60_000 }), 'alignment', /not a 1h candle open time/);
    const future = { ...candle(0), timestamp: NOW + 2 * H };
    const result = validateCandles([tuple(future)], options);
    expect(result.rejected[0]).toMatchObject({ rule: 'future', timestamp: NOW + 2 * H });
  });

  it('duplicates: the first row of a time is kept, later ones rejected', () => {
    const result = validateCandles([tuple(candle(1)), tuple(candle(1, 101)), tuple(candle(1))], options);
    expect(result.accepted).toEqual([candle(1)]);
    expect(result.rejected.map((r) => [r.rule, r.reason])).toEqual([
      ['duplicate', expect.stringMatching(/different values/)],
      ['duplicate', expect.stringMatching(/identical/)],
    ]);
  });

  it('jumps larger than the threshold, against the stored candle before the batch too', () => {
    const result = validateCandles([tuple(candle(1, 100)), tuple(candle(2, 170)), tuple(candle(3, 169))], options);
    expect(result.rejected).toMatchObject([{ rule: 'jump', timestamp: T0 + 2 * H }]);
    expect(result.rejected[0]!.reason).toMatch(/70.0% from the previous close 100 \(limit 50.0%\)/);
    // A level shift costs one candle: the next is compared with the shifted one, not rejected forever.
    expect(result.accepted.map((c) => c.close)).toEqual([100, 169]);

    const tight = validateCandles([tuple(candle(1, 110))], { ...options, maxJump: 0.05, previous: candle(0, 100) });
    expect(tight.rejected).toMatchObject([{ rule: 'jump' }]);
    expect(validateCandles([tuple(candle(1, 104))], { ...options, maxJump: 0.05, previous: candle(0, 100) }).accepted).toHaveLength(1);
  });

  it('sets the still-open candle aside: neither stored nor quarantined', () => {
    const now = T0 + 10 * H + 20 * 60_000; // 10:20, the 10:00 candle is still open
    const result = validateCandles([tuple(candle(9)), tuple(candle(10))], { timeframe: '1h', now });
    expect(result.open).toEqual([candle(10)]);
    expect(result.accepted).toEqual([candle(9)]);
    expect(result.rejected).toEqual([]);
  });

  it('accounts for every row', () => {
    const rows = [tuple(candle(1)), 'x', tuple(candle(2, 100, { volume: -3 })), tuple(candle(3)), tuple(candle(3))];
    const result = validateCandles(rows, options);
    expect(result.accepted.length + result.rejected.length + result.open.length).toBe(rows.length);
  });
});
