import { describe, expect, it } from 'vitest';
import { planRollupRead } from '@/lib/dashboard/rollup-source';

const H = 3_600_000;
const D = 24 * H;
const window = { from: 100 * D, to: 200 * D };

describe('planRollupRead: which table serves which part of a rollup read', () => {
  it('reads the source table alone where the rollups are tables (plain mode) or materialized to the end', () => {
    expect(planRollupRead('1d', window, null, H)).toEqual([{ table: 'ml_features_ohlcv_1d', ...window }]);
    expect(planRollupRead('1h', window, { hourly: 300 * D, daily: 0 }, H)).toEqual([{ table: 'ml_features_ohlcv_1h', ...window }]);
  });

  it('takes each level up to its watermark and raw rows after them', () => {
    expect(planRollupRead('1d', window, { hourly: 180 * D + 5 * H, daily: 150 * D }, H)).toEqual([
      { table: 'ml_features_ohlcv_1d', from: 100 * D, to: 150 * D },
      { table: 'ml_features_ohlcv_1h', from: 150 * D, to: 180 * D + 5 * H },
      { table: 'ml_features_ohlcv', from: 180 * D + 5 * H, to: 200 * D },
    ]);
    // Daily ahead of hourly: the hourly level has nothing left to serve.
    expect(planRollupRead('1d', window, { hourly: 120 * D, daily: 150 * D }, H).map((p) => p.table)).toEqual(['ml_features_ohlcv_1d', 'ml_features_ohlcv']);
  });

  it('reads nothing materialized from raw rows, at most the bound (the newest, whole hours)', () => {
    const nothing = { hourly: Number.NEGATIVE_INFINITY, daily: Number.NEGATIVE_INFINITY };
    expect(planRollupRead('1h', window, nothing, H)).toEqual([{ table: 'ml_features_ohlcv', ...window }]);
    // 1m candles: 30,000 of them are 500 hours.
    expect(planRollupRead('1h', window, nothing, 60_000, 30_000)).toEqual([{ table: 'ml_features_ohlcv', from: 200 * D - 500 * H, to: 200 * D }]);
    expect(planRollupRead('1h', window, nothing, 60_000, 30_001)[0]!.from).toBe(200 * D - 500 * H);
  });
});
