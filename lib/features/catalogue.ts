import {
  DOCUMENT_WINDOW_HOURS,
  FEAR_GREED_MAX_AGE_MS,
  MOMENTUM_HOURS,
  MOMENTUM_WINDOW_HOURS,
  MULTI_TIMEFRAME_WEIGHTS,
  SENTIMENT_FEATURE_COLUMNS,
  SENTIMENT_FEATURE_VERSION,
  WHALE_BASELINE_HOURS,
  WHALE_VOLUME_MULTIPLE,
  WHALE_WINDOW_HOURS,
  type SentimentFeatureColumn,
} from '@/lib/sentiment/features';
import { HOUR_MS } from '@/lib/market/time';
import { FEATURE_COLUMNS, FEATURE_DEFINITIONS, FEATURE_VERSION, SEED_FEATURE_COLUMNS, type FeatureColumn } from './definitions';

/**
 * The feature catalogue: every OHLCV and sentiment feature with its definition, parameters,
 * warm-up, unit and version. Names, definitions and warm-ups come from the modules that compute
 * the features (definitions.ts, lib/sentiment/features.ts); this file adds only what those leave
 * implicit (parameters, units, inputs), keyed by their column types so no feature can be missed.
 */

/** The inputs a sentiment row records in real_inputs / simulated_inputs. */
export const SENTIMENT_INPUTS = ['fear_greed', 'news', 'social', 'candles'] as const;
export type SentimentInput = (typeof SENTIMENT_INPUTS)[number];

export interface CatalogueEntry {
  name: string;
  family: 'ohlcv' | 'sentiment';
  group: string;
  definition: string;
  parameters: Record<string, number | string>;
  /** Rows of a series without a value at its start: candles for OHLCV, hours for sentiment. */
  warmUp: { rows: number; unit: 'candles' | 'hours'; note?: string };
  unit: string;
  /** What the value is computed from; a sentiment feature is emptied when one of these was simulated. */
  inputs: string[];
  version: string;
  table: 'ml_features_ohlcv' | 'ml_features_sentiment';
}

type Described = Pick<CatalogueEntry, 'parameters' | 'unit'>;
const PRICE = 'quote currency (price)';
const OSCILLATOR = 'index, 0 to 100';

const OHLCV_DETAILS: Record<FeatureColumn, Described> = {
  vwap: { parameters: { session: 'UTC day' }, unit: PRICE },
  atr: { parameters: { period: 14, smoothing: 'Wilder' }, unit: PRICE },
  rsi: { parameters: { period: 14 }, unit: OSCILLATOR },
  macd: { parameters: { fast: 12, slow: 26, signal: 9 }, unit: PRICE },
  macd_signal: { parameters: { fast: 12, slow: 26, signal: 9 }, unit: PRICE },
  macd_histogram: { parameters: { fast: 12, slow: 26, signal: 9 }, unit: PRICE },
  bollinger_upper: { parameters: { period: 20, stddevs: 2 }, unit: PRICE },
  bollinger_middle: { parameters: { period: 20 }, unit: PRICE },
  bollinger_lower: { parameters: { period: 20, stddevs: 2 }, unit: PRICE },
  stoch_k: { parameters: { fast_k: 14, slow_k: 3, slow_d: 3 }, unit: OSCILLATOR },
  stoch_d: { parameters: { fast_k: 14, slow_k: 3, slow_d: 3 }, unit: OSCILLATOR },
  williams_r: { parameters: { period: 14 }, unit: 'index, −100 to 0' },
  cci: { parameters: { period: 20, constant: 0.015 }, unit: 'index, unbounded (mostly ±300)' },
  adx: { parameters: { period: 14 }, unit: OSCILLATOR },
  obv: { parameters: {}, unit: 'base-asset volume, cumulative' },
  mfi: { parameters: { period: 14 }, unit: OSCILLATOR },
  return_1: { parameters: { candles: 1 }, unit: 'fraction (0.01 = +1 %)' },
  return_4: { parameters: { candles: 4 }, unit: 'fraction (0.01 = +1 %)' },
  return_24: { parameters: { candles: 24 }, unit: 'fraction (0.01 = +1 %)' },
  log_return_1: { parameters: { candles: 1 }, unit: 'natural log return' },
  log_return_4: { parameters: { candles: 4 }, unit: 'natural log return' },
  log_return_24: { parameters: { candles: 24 }, unit: 'natural log return' },
  realized_vol_24: { parameters: { candles: 24 }, unit: 'log return per candle (not annualised)' },
  dist_sma_20: { parameters: { period: 20 }, unit: 'fraction of the average' },
  dist_ema_20: { parameters: { period: 20 }, unit: 'fraction of the average' },
  dist_sma_50: { parameters: { period: 50 }, unit: 'fraction of the average' },
  dist_sma_200: { parameters: { period: 200 }, unit: 'fraction of the average' },
  plus_di: { parameters: { period: 14 }, unit: OSCILLATOR },
  minus_di: { parameters: { period: 14 }, unit: OSCILLATOR },
  roc_10: { parameters: { period: 10 }, unit: 'percent' },
  keltner_width: { parameters: { ema_period: 20, atr_period: 10, multiplier: 2 }, unit: 'fraction of the middle line' },
  donchian_width: { parameters: { period: 20 }, unit: 'fraction of the close' },
  volume_zscore_20: { parameters: { period: 20 }, unit: 'standard deviations' },
};

const DOCS = ['news', 'social'];
const HOURS = DOCUMENT_WINDOW_HOURS;
const LEVEL = `L(a, b] = Σ w·c / Σ w over documents published in (a, b], w = 1 + mentions of the coin, c = VADER compound`;

/** The numbered definitions of lib/sentiment/features.ts, one line each, with their parameters. */
const SENTIMENT_DETAILS: Record<SentimentFeatureColumn, Omit<CatalogueEntry, 'name' | 'family' | 'group' | 'version' | 'table'>> = {
  fear_greed_index: {
    definition: `Crypto Fear & Greed Index (alternative.me): the newest daily value published before the hour ended, at most ${FEAR_GREED_MAX_AGE_MS / HOUR_MS} hours old. Market-wide.`,
    parameters: { max_age_hours: FEAR_GREED_MAX_AGE_MS / HOUR_MS }, warmUp: { rows: 0, unit: 'hours' }, unit: 'index, 0 to 100', inputs: ['fear_greed'],
  },
  social_sentiment_score: {
    definition: `Mean VADER compound of the social posts of the last ${HOURS} hours. Market-wide.`,
    parameters: { window_hours: HOURS }, warmUp: { rows: 0, unit: 'hours', note: 'null without posts in the window' }, unit: 'score, −1 to 1', inputs: ['social'],
  },
  news_sentiment_score: {
    definition: `Mean VADER compound of the news headlines of the last ${HOURS} hours. Market-wide.`,
    parameters: { window_hours: HOURS }, warmUp: { rows: 0, unit: 'hours', note: 'null without news in the window' }, unit: 'score, −1 to 1', inputs: ['news'],
  },
  weighted_coin_sentiment: {
    definition: `Σ mentions·compound / Σ mentions over the news and posts of the last ${HOURS} hours that mention the coin.`,
    parameters: { window_hours: HOURS }, warmUp: { rows: 0, unit: 'hours' }, unit: 'score, −1 to 1', inputs: DOCS,
  },
  whale_sentiment_proxy: {
    definition: `Σ sign(close − open)·volume / Σ volume over the "whale" 1h candles of the last ${WHALE_WINDOW_HOURS} hours (volume ≥ ${WHALE_VOLUME_MULTIPLE} × the median of the last ${WHALE_BASELINE_HOURS} hours); 0 without a whale candle.`,
    parameters: { window_hours: WHALE_WINDOW_HOURS, baseline_hours: WHALE_BASELINE_HOURS, volume_multiple: WHALE_VOLUME_MULTIPLE },
    warmUp: { rows: WHALE_WINDOW_HOURS, unit: 'hours', note: `needs ${WHALE_WINDOW_HOURS} candles of history` }, unit: 'signed volume share, −1 to 1', inputs: ['candles'],
  },
  sentiment_divergence_score: {
    definition: `L(E − ${HOURS}h, E] − P with P = tanh(r24 / (σ·√24)) the price momentum of the last ${MOMENTUM_WINDOW_HOURS} 1h candles; positive when sentiment is more bullish than the price move. ${LEVEL}.`,
    parameters: { window_hours: HOURS, momentum_hours: MOMENTUM_WINDOW_HOURS },
    warmUp: { rows: MOMENTUM_WINDOW_HOURS, unit: 'hours' }, unit: 'score, −2 to 2', inputs: [...DOCS, 'candles'],
  },
  multi_timeframe_sentiment: {
    definition: `${MULTI_TIMEFRAME_WEIGHTS.map(([h, w]) => `${w}·L(last ${h}h)`).join(' + ')}; windows without documents left out and the weights rescaled. ${LEVEL}.`,
    parameters: Object.fromEntries(MULTI_TIMEFRAME_WEIGHTS.map(([h, w]) => [`weight_${h}h`, w])), warmUp: { rows: 0, unit: 'hours' }, unit: 'score, −1 to 1', inputs: DOCS,
  },
  sentiment_momentum: {
    definition: `L(E − ${MOMENTUM_HOURS}h, E] − L(E − ${2 * MOMENTUM_HOURS}h, E − ${MOMENTUM_HOURS}h]: the change of the sentiment level. ${LEVEL}.`,
    parameters: { window_hours: MOMENTUM_HOURS }, warmUp: { rows: 2 * MOMENTUM_HOURS, unit: 'hours' }, unit: 'score, −2 to 2', inputs: DOCS,
  },
  sentiment_volatility: {
    definition: `Population standard deviation of the hourly sentiment levels of the last ${HOURS} hours that have documents (at least 2).`,
    parameters: { window_hours: HOURS }, warmUp: { rows: 2, unit: 'hours' }, unit: 'score, 0 to 1', inputs: DOCS,
  },
  bullish_sentiment_ratio: {
    definition: `Share of the documents of the last ${HOURS} hours with compound ≥ 0.05.`,
    parameters: { window_hours: HOURS, threshold: 0.05 }, warmUp: { rows: 0, unit: 'hours' }, unit: 'fraction, 0 to 1', inputs: DOCS,
  },
  bearish_sentiment_ratio: {
    definition: `Share of the documents of the last ${HOURS} hours with compound ≤ −0.05.`,
    parameters: { window_hours: HOURS, threshold: -0.05 }, warmUp: { rows: 0, unit: 'hours' }, unit: 'fraction, 0 to 1', inputs: DOCS,
  },
  neutral_sentiment_ratio: {
    definition: `1 − bullish − bearish: share of the documents of the last ${HOURS} hours in between.`,
    parameters: { window_hours: HOURS }, warmUp: { rows: 0, unit: 'hours' }, unit: 'fraction, 0 to 1', inputs: DOCS,
  },
  sentiment_trend_strength: {
    definition: `sign(β)·R² of the least-squares line through the hourly levels of the last ${HOURS} hours: how steadily sentiment rose (+) or fell (−).`,
    parameters: { window_hours: HOURS }, warmUp: { rows: 3, unit: 'hours' }, unit: 'score, −1 to 1', inputs: DOCS,
  },
};

const SEED = new Set<string>(SEED_FEATURE_COLUMNS);

export const FEATURE_CATALOGUE: readonly CatalogueEntry[] = [
  ...FEATURE_COLUMNS.map((name): CatalogueEntry => ({
    name,
    family: 'ohlcv',
    group: SEED.has(name) ? 'TA-Lib seed' : 'returns, trend and volatility',
    definition: FEATURE_DEFINITIONS[name].definition,
    ...OHLCV_DETAILS[name],
    warmUp: { rows: FEATURE_DEFINITIONS[name].firstRow, unit: 'candles' },
    inputs: ['candles'],
    version: FEATURE_VERSION,
    table: 'ml_features_ohlcv',
  })),
  ...SENTIMENT_FEATURE_COLUMNS.map((name): CatalogueEntry => ({
    name,
    family: 'sentiment',
    group: 'sentiment',
    ...SENTIMENT_DETAILS[name],
    version: SENTIMENT_FEATURE_VERSION,
    table: 'ml_features_sentiment',
  })),
];

const BY_NAME = new Map(FEATURE_CATALOGUE.map((entry) => [entry.name, entry]));

export function catalogueEntry(name: string): CatalogueEntry | undefined {
  return BY_NAME.get(name);
}

/** The sentiment features computed from `input`: the ones emptied when it was simulated. */
export function sentimentFeaturesUsing(input: string): SentimentFeatureColumn[] {
  return SENTIMENT_FEATURE_COLUMNS.filter((name) => SENTIMENT_DETAILS[name].inputs.includes(input));
}
