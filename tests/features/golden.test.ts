import { describe, expect, it } from 'vitest';
import { computeOhlcvFeatures, FEATURE_DEFINITIONS, type SeedFeatureColumn } from '@/lib/features';
import { loadGolden, relativeError } from './data';

/** Golden column (TA-Lib output) → our column. VWAP has no TA-Lib counterpart. */
const GOLDEN_COLUMNS: Record<string, Exclude<SeedFeatureColumn, 'vwap'>> = {
  atr_14: 'atr',
  rsi_14: 'rsi',
  macd: 'macd',
  macd_signal: 'macd_signal',
  macd_histogram: 'macd_histogram',
  bollinger_upper: 'bollinger_upper',
  bollinger_middle: 'bollinger_middle',
  bollinger_lower: 'bollinger_lower',
  stoch_k: 'stoch_k',
  stoch_d: 'stoch_d',
  williams_r_14: 'williams_r',
  cci_20: 'cci',
  adx_14: 'adx',
  obv: 'obv',
  mfi_14: 'mfi',
};

// The contract is 1e-6 after 300 candles; our kernels follow TA-Lib's seeding and operation
// order, so we hold every row to what the file's 15 significant digits allow.
const CONTRACT_TOLERANCE = 1e-6;
const EXACT_TOLERANCE = 1e-12;
const WARM_UP = 300;

describe('seed features against TA-Lib on the synthetic golden file', () => {
  const { candles, talib } = loadGolden();
  const features = computeOhlcvFeatures(candles);

  it.each(Object.entries(GOLDEN_COLUMNS))('%s equals TA-Lib within 1e-6 after 300 candles', (golden, ours) => {
    let worst = 0;
    for (let i = WARM_UP; i < candles.length; i++) {
      const actual = features[i][ours];
      worst = Math.max(worst, actual === null ? Infinity : relativeError(talib[golden][i]!, actual));
    }
    expect(worst).toBeLessThanOrEqual(CONTRACT_TOLERANCE);
  });

  it.each(Object.entries(GOLDEN_COLUMNS))('%s is null exactly where TA-Lib has no value, and exact from its first row', (golden, ours) => {
    const mismatches: string[] = [];
    for (let i = 0; i < candles.length; i++) {
      const expected = talib[golden][i];
      const actual = features[i][ours];
      const same =
        expected === null || actual === null ? expected === actual : relativeError(expected, actual) <= EXACT_TOLERANCE;
      if (!same) mismatches.push(`row ${i}: TA-Lib ${expected}, ours ${actual}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it.each(Object.entries(GOLDEN_COLUMNS))('%s: the documented first row is TA-Lib’s first value', (golden, ours) => {
    expect(FEATURE_DEFINITIONS[ours].firstRow).toBe(talib[golden].findIndex((value) => value !== null));
  });
});
