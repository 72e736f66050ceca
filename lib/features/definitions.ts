/**
 * Every OHLCV feature the project computes, defined in one place (FEATURE_DEFINITIONS below).
 *
 * Conventions for all columns:
 * - One value per candle, computed from that candle and the ones before it only (no lookahead).
 * - `null` means "not defined yet" (warm-up, before `firstRow`) or as stated per feature.
 * - Where a TA-Lib function exists, the value is what TA-Lib 0.6 (default compatibility, no
 *   unstable period) returns for the same series, including its warm-up length, seeding and
 *   edge rules. `firstRow` is the 0-based index of the first candle with a value.
 * - TA-Lib seeds its exponential and Wilder averages from the start of the series, so those
 *   values depend on where the series starts; the influence decays geometrically (below 1e-8
 *   relative after ~300 candles). See RESTORE_HISTORY_CANDLES in ./stream.ts.
 * - Inputs: prices finite and > 0, volume finite and >= 0 (the stream checks).
 */
export const FEATURE_VERSION = 'ohlcv-v1';

export const SEED_FEATURE_COLUMNS = [
  'vwap',
  'atr',
  'rsi',
  'macd',
  'macd_signal',
  'macd_histogram',
  'bollinger_upper',
  'bollinger_middle',
  'bollinger_lower',
  'stoch_k',
  'stoch_d',
  'williams_r',
  'cci',
  'adx',
  'obv',
  'mfi',
] as const;

export const EXTRA_FEATURE_COLUMNS = [
  'return_1',
  'return_4',
  'return_24',
  'log_return_1',
  'log_return_4',
  'log_return_24',
  'realized_vol_24',
  'dist_sma_20',
  'dist_ema_20',
  'dist_sma_50',
  'dist_sma_200',
  'plus_di',
  'minus_di',
  'roc_10',
  'keltner_width',
  'donchian_width',
  'volume_zscore_20',
] as const;

export const FEATURE_COLUMNS = [...SEED_FEATURE_COLUMNS, ...EXTRA_FEATURE_COLUMNS] as const;

export type SeedFeatureColumn = (typeof SEED_FEATURE_COLUMNS)[number];
export type ExtraFeatureColumn = (typeof EXTRA_FEATURE_COLUMNS)[number];
export type FeatureColumn = (typeof FEATURE_COLUMNS)[number];

export interface FeatureDefinition {
  /** What the value is, precisely enough to recompute it. */
  definition: string;
  /** Index of the first candle of a series that has a value (earlier rows are null). */
  firstRow: number;
}

export const FEATURE_DEFINITIONS: Record<FeatureColumn, FeatureDefinition> = {
  vwap: {
    definition:
      'Session VWAP: Σ(typical·volume)/Σ(volume) over the candles of the current UTC day (by open time, reset at ' +
      '00:00 UTC), typical = (high+low+close)/3. While the session has no volume yet: the candle’s typical price. ' +
      'TA-Lib has no VWAP.',
    firstRow: 0,
  },
  atr: {
    definition: 'TA-Lib ATR(14): first value = mean of true ranges 1..14, then Wilder (prev·13 + TR)/14.',
    firstRow: 14,
  },
  rsi: {
    definition:
      'TA-Lib RSI(14), Wilder averages seeded with the mean of the first 14 changes; 0 when average gain + loss is 0 ' +
      '(a flat market), as TA-Lib.',
    firstRow: 14,
  },
  macd: {
    definition:
      'TA-Lib MACD(12,26,9) line EMA12 − EMA26; EMA26 seeded with the mean of closes 0..25, EMA12 with the mean of ' +
      'closes 14..25 (TA-Lib aligns both seeds); null until the signal exists.',
    firstRow: 33,
  },
  macd_signal: { definition: 'TA-Lib MACD signal: EMA(9) of the MACD line, seeded with the mean of its first 9.', firstRow: 33 },
  macd_histogram: { definition: 'TA-Lib MACD histogram: macd − macd_signal.', firstRow: 33 },
  bollinger_upper: { definition: 'TA-Lib BBANDS(20, 2, 2, SMA): SMA20 + 2·population stddev20 of close.', firstRow: 19 },
  bollinger_middle: { definition: 'TA-Lib BBANDS middle band: SMA20 of close.', firstRow: 19 },
  bollinger_lower: { definition: 'TA-Lib BBANDS: SMA20 − 2·population stddev20 of close.', firstRow: 19 },
  stoch_k: {
    definition:
      'TA-Lib STOCH(14, 3 SMA, 3 SMA) slow %K: SMA3 of fast %K = 100·(close − lowest low14)/(highest high14 − lowest ' +
      'low14), fast %K = 0 when the range is 0.',
    firstRow: 17,
  },
  stoch_d: { definition: 'TA-Lib STOCH slow %D: SMA3 of slow %K.', firstRow: 17 },
  williams_r: {
    definition: 'TA-Lib WILLR(14): −100·(highest high − close)/(highest high − lowest low); 0 when the range is 0.',
    firstRow: 13,
  },
  cci: {
    definition:
      'TA-Lib CCI(20) on typical price: (tp − SMA20(tp))/(0.015·mean absolute deviation); 0 when the numerator or ' +
      'the deviation is 0.',
    firstRow: 19,
  },
  adx: {
    definition:
      'TA-Lib ADX(14): +DM/−DM count only the strictly larger positive move (a tie counts for neither); Wilder sums ' +
      'of DM and TR; DX = 100·|+DI − −DI|/(+DI + −DI); first ADX = mean of DX over rows 14..27, then Wilder. A ' +
      'candle whose smoothed TR or DI sum is (TA-Lib-)zero leaves the ADX unchanged.',
    firstRow: 27,
  },
  obv: {
    definition:
      'TA-Lib OBV: volume of the first candle, then ± each candle’s volume on a higher/lower close (unchanged on an ' +
      'equal close). A stream restored from history continues from the stored OBV.',
    firstRow: 0,
  },
  mfi: {
    definition:
      'TA-Lib MFI(14): money flow = typical price·volume, positive when the typical price rises, negative when it ' +
      'falls, neither when equal; 100·pos/(pos+neg) over 14 candles; 0 when pos+neg < 1, as TA-Lib.',
    firstRow: 14,
  },
  return_1: { definition: 'close_t / close_{t−1} − 1.', firstRow: 1 },
  return_4: { definition: 'close_t / close_{t−4} − 1.', firstRow: 4 },
  return_24: { definition: 'close_t / close_{t−24} − 1.', firstRow: 24 },
  log_return_1: { definition: 'ln(close_t / close_{t−1}).', firstRow: 1 },
  log_return_4: { definition: 'ln(close_t / close_{t−4}).', firstRow: 4 },
  log_return_24: { definition: 'ln(close_t / close_{t−24}).', firstRow: 24 },
  realized_vol_24: {
    definition: 'Population standard deviation of the last 24 log_return_1 values, not annualised.',
    firstRow: 24,
  },
  dist_sma_20: { definition: 'close / SMA20(close) − 1.', firstRow: 19 },
  dist_ema_20: { definition: 'close / EMA20(close) − 1, EMA seeded like TA-Lib with the SMA of the first 20.', firstRow: 19 },
  dist_sma_50: { definition: 'close / SMA50(close) − 1.', firstRow: 49 },
  dist_sma_200: { definition: 'close / SMA200(close) − 1.', firstRow: 199 },
  plus_di: { definition: 'TA-Lib PLUS_DI(14): 100·smoothed +DM/smoothed TR (tie rule as adx); 0 when TR is 0.', firstRow: 14 },
  minus_di: { definition: 'TA-Lib MINUS_DI(14): 100·smoothed −DM/smoothed TR (tie rule as adx); 0 when TR is 0.', firstRow: 14 },
  roc_10: { definition: 'TA-Lib ROC(10): (close_t / close_{t−10} − 1)·100.', firstRow: 10 },
  keltner_width: {
    definition:
      '(upper − lower)/middle of a Keltner channel: middle = EMA20(close) seeded like TA-Lib, bands ± 2·ATR(10) ' +
      '(TA-Lib ATR, Wilder); i.e. 4·ATR10/EMA20.',
    firstRow: 19,
  },
  donchian_width: { definition: '(highest high − lowest low over the last 20 candles) / close.', firstRow: 19 },
  volume_zscore_20: {
    definition:
      '(volume − SMA20(volume)) / population stddev20(volume); null when that stddev is 0 (20 equal volumes).',
    firstRow: 19,
  },
};

/** One row of features for one candle; `null` where the feature has no value (see above). */
export type OhlcvFeatures = Record<FeatureColumn, number | null>;

/** Position of each column in `FEATURE_COLUMNS`, for the engine's flat value buffer. */
export const COLUMN_INDEX = Object.fromEntries(FEATURE_COLUMNS.map((name, i) => [name, i])) as Record<
  FeatureColumn,
  number
>;
