import type { Candle } from '@/lib/market/candle';
import type { DocumentKind } from './documents';
import { polarityOf } from './score';
import { HOUR_MS } from '@/lib/market/time';

/**
 * The 13 sentiment features, defined in one place. Pure functions: arrays in, numbers out; no I/O,
 * no clock.
 *
 * Time. A sentiment row belongs to a symbol and an hour H (its `timestamp`, the hour's start, UTC),
 * like the 1h candle that opens at H. It is computed from what was known when that hour ended,
 * E = H + 1h: documents published at or before E, the Fear & Greed value published before E, and
 * 1h candles opening at or before H (the last one closes at E). Nothing later is read: a row at H
 * lines up with the 1h candle at H, whose features also include its close at E. Windows are
 * half-open on the left: "the last k hours" is (E − k·1h, E].
 *
 * Documents are headlines (kind news) and post titles (kind social), each with a VADER compound
 * score c in [−1, 1] and mention counts per coin (see score.ts and coins.ts). For the row's coin,
 * m(d) is how often document d mentions it.
 *
 * Definitions (null whenever the stated inputs are missing; never a made-up neutral value):
 * 1. fear_greed_index, [0, 100]: the Crypto Fear & Greed Index (alternative.me), the newest daily
 *    value published before E and at most 48 hours old. Market-wide.
 * 2. news_sentiment_score, [−1, 1]: mean c of all news documents of the last 24 hours. Market-wide.
 * 3. social_sentiment_score, [−1, 1]: mean c of all social documents of the last 24 hours.
 *    Market-wide.
 * 4. weighted_coin_sentiment, [−1, 1]: Σ m(d)·c(d) / Σ m(d) over news and social documents of the
 *    last 24 hours that mention the coin: mention-weighted sentiment about this coin.
 *    The "sentiment level" L(a, b] used below is Σ w(d)·c(d) / Σ w(d) over all documents published
 *    in (a, b], with w(d) = 1 + m(d): market sentiment, leaning towards documents about the coin.
 *    Windows of whole hours are combined from hourly levels (each hour's level and its weight
 *    Σ w(d), so the combination is exactly L over the window). The level of an earlier hour is the
 *    one stored with that hour's row (its real documents as stored when the row was written), and
 *    comes from the stored documents only for an hour without a stored level; the row's own hour
 *    is computed from its documents. So features 6–9 and 13 are the same after a restart, after
 *    the documents' retention, and when a collection fetched only the newest items.
 * 5. whale_sentiment_proxy, [−1, 1]: among the 1h candles of the last 24 hours (open in
 *    (H − 24h, H]), the "whale" candles have volume ≥ 3 × the median volume of the last 7 days of
 *    candles (open in (H − 168h, H], at least 24 of them). Value = Σ sign(close − open)·volume /
 *    Σ volume over whale candles: +1 when all heavy trading pushed the price up, −1 when down;
 *    0 when there was no whale candle. Null with fewer than 24 candles of history or a zero median.
 * 6. sentiment_divergence_score, [−2, 2]: L(E − 24h, E] − P, where P = tanh(r24 / (σ·√24)) is the
 *    price momentum in (−1, 1): r24 = ln(close_H / close_{H−24h}), σ = population standard
 *    deviation of the consecutive 1h log returns among candles opening in (H − 24h, H] (at least
 *    2); when σ = 0, P = sign(r24). Positive: sentiment is more bullish than the price move.
 * 7. multi_timeframe_sentiment, [−1, 1]: 0.5·L(last 1h) + 0.3·L(last 4h) + 0.2·L(last 24h); a
 *    window without documents is left out and the remaining weights are rescaled to sum to 1.
 * 8. sentiment_momentum, [−2, 2]: L(E − 4h, E] − L(E − 8h, E − 4h].
 * 9. sentiment_volatility, [0, 1]: population standard deviation of the hourly levels
 *    L(E − (k+1)h, E − k·h] for k = 0..23 that have documents (at least 2).
 * 10–12. bullish_sentiment_ratio, bearish_sentiment_ratio, neutral_sentiment_ratio, [0, 1]: shares
 *    of the documents of the last 24 hours with c ≥ 0.05, c ≤ −0.05 and in between (VADER's own
 *    thresholds). neutral = 1 − bullish − bearish, so the three sum to 1.
 * 13. sentiment_trend_strength, [−1, 1]: sign(β)·R² of the least-squares line through the hourly
 *    levels of feature 9 against their hour (at least 3 hours with documents): how steadily
 *    sentiment rose (+) or fell (−) over the day; 0 when the levels are all equal.
 */
export const SENTIMENT_FEATURE_VERSION = 'sentiment-v1';

export const SENTIMENT_FEATURE_COLUMNS = [
  'fear_greed_index',
  'social_sentiment_score',
  'news_sentiment_score',
  'weighted_coin_sentiment',
  'whale_sentiment_proxy',
  'sentiment_divergence_score',
  'multi_timeframe_sentiment',
  'sentiment_momentum',
  'sentiment_volatility',
  'bullish_sentiment_ratio',
  'bearish_sentiment_ratio',
  'neutral_sentiment_ratio',
  'sentiment_trend_strength',
] as const;

export type SentimentFeatureColumn = (typeof SENTIMENT_FEATURE_COLUMNS)[number];
export type SentimentFeatures = Record<SentimentFeatureColumn, number | null>;

export const DOCUMENT_WINDOW_HOURS = 24;
export const FEAR_GREED_MAX_AGE_MS = 48 * HOUR_MS;
export const MULTI_TIMEFRAME_WEIGHTS: readonly (readonly [hours: number, weight: number])[] = [[1, 0.5], [4, 0.3], [24, 0.2]];
export const MOMENTUM_HOURS = 4;
export const WHALE_WINDOW_HOURS = 24;
export const WHALE_BASELINE_HOURS = 168;
export const WHALE_VOLUME_MULTIPLE = 3;
export const MOMENTUM_WINDOW_HOURS = 24;

/** What the features need of a document. */
export interface SentimentSample {
  kind: DocumentKind;
  publishedAt: number;
  compound: number;
  mentions: Readonly<Record<string, number>>;
}

export interface SentimentFeatureInputs {
  /** The row's hour: start of the hour, unix ms. */
  hour: number;
  /** Ticker of the row's coin, e.g. 'BTC'. */
  coin: string;
  /** The Fear & Greed value that applies (see definition 1), or null. */
  fearGreed: number | null;
  /** Documents; those outside the windows are ignored, so passing more is harmless. */
  documents: readonly SentimentSample[];
  /** 1h candles of the symbol, ascending; those opening after `hour` are ignored. */
  candles: readonly Candle[];
  /** Levels stored with the rows of earlier hours (see levelSeries); without them, all from `documents`. */
  storedLevels?: readonly HourlyLevel[];
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((sum, v) => sum + v, 0) / values.length : null;
}

function populationStd(values: readonly number[]): number {
  const m = mean(values)!;
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / values.length);
}

/** Documents published in (from, to]. */
export function documentsIn<T extends SentimentSample>(docs: readonly T[], from: number, to: number): T[] {
  return docs.filter((d) => d.publishedAt > from && d.publishedAt <= to);
}

const windowEnd = (hour: number) => hour + HOUR_MS;
const lastDay = <T extends SentimentSample>(docs: readonly T[], hour: number) =>
  documentsIn(docs, windowEnd(hour) - DOCUMENT_WINDOW_HOURS * HOUR_MS, windowEnd(hour));

/** A published Fear & Greed value: `timestamp` is the start of the UTC day it is for. */
export interface FearGreedPoint {
  timestamp: number;
  value: number;
}

/**
 * The Fear & Greed value a row at `hour` may use (definition 1): the newest one published before
 * the hour ended and at most 48 hours old. A value for the next day (timestamp ≥ E) is later news.
 */
export function applicableFearGreed(points: readonly FearGreedPoint[], hour: number): FearGreedPoint | null {
  const end = windowEnd(hour);
  let best: FearGreedPoint | null = null;
  for (const p of points) {
    if (p.timestamp < end && end - p.timestamp <= FEAR_GREED_MAX_AGE_MS && (!best || p.timestamp > best.timestamp)) best = p;
  }
  return best;
}

/** 1. The index value itself; out-of-range values are not an index value. */
export function fearGreedIndex(value: number | null): number | null {
  return value !== null && Number.isFinite(value) && value >= 0 && value <= 100 ? value : null;
}

/** 2. Mean compound of the news of the last 24 hours. */
export function newsSentimentScore(docs: readonly SentimentSample[], hour: number): number | null {
  return mean(lastDay(docs, hour).filter((d) => d.kind === 'news').map((d) => d.compound));
}

/** 3. Mean compound of the social posts of the last 24 hours. */
export function socialSentimentScore(docs: readonly SentimentSample[], hour: number): number | null {
  return mean(lastDay(docs, hour).filter((d) => d.kind === 'social').map((d) => d.compound));
}

/** 4. Mention-weighted compound of the documents about `coin` in the last 24 hours. */
export function weightedCoinSentiment(docs: readonly SentimentSample[], coin: string, hour: number): number | null {
  let weighted = 0;
  let mentions = 0;
  for (const d of lastDay(docs, hour)) {
    const m = d.mentions[coin] ?? 0;
    weighted += m * d.compound;
    mentions += m;
  }
  return mentions > 0 ? weighted / mentions : null;
}

/** One hour's level L(H, H + 1h] and its weight Σ w(d): what a row stores, and what windows combine. */
export interface HourlyLevel {
  /** Start of the hour, unix ms. */
  hour: number;
  level: number;
  weight: number;
}

/** The sentiment level L(from, to] (compound weighted by 1 + mentions of `coin`) with its weight. */
function levelOf(docs: readonly SentimentSample[], coin: string, from: number, to: number): { level: number; weight: number } | null {
  let weighted = 0;
  let weights = 0;
  for (const d of documentsIn(docs, from, to)) {
    const w = 1 + (d.mentions[coin] ?? 0);
    weighted += w * d.compound;
    weights += w;
  }
  return weights > 0 ? { level: weighted / weights, weight: weights } : null;
}

/** The level of the hour starting at `hour` (documents published in (hour, hour + 1h]), or null without any. */
export function hourlyLevel(docs: readonly SentimentSample[], coin: string, hour: number): HourlyLevel | null {
  const l = levelOf(docs, coin, hour, hour + HOUR_MS);
  return l && { hour, ...l };
}

/** Hourly levels by hour start. */
export type LevelSeries = ReadonlyMap<number, HourlyLevel>;

/**
 * The levels of the 24 hours ending with the row's hour: each earlier hour's stored level when it
 * has one, else its level from `docs`; the row's own hour always from `docs`.
 */
export function levelSeries(docs: readonly SentimentSample[], coin: string, hour: number, stored: readonly HourlyLevel[] = []): LevelSeries {
  const byHour = new Map(stored.filter((l) => l.hour < hour && l.hour > hour - DOCUMENT_WINDOW_HOURS * HOUR_MS).map((l) => [l.hour, l]));
  const series = new Map<number, HourlyLevel>();
  for (let k = DOCUMENT_WINDOW_HOURS - 1; k >= 0; k--) {
    const h = hour - k * HOUR_MS;
    const level = (k > 0 ? byHour.get(h) : undefined) ?? hourlyLevel(docs, coin, h);
    if (level) series.set(h, level);
  }
  return series;
}

/** L over the hours `hours` back from the row's hour, inclusive of it: exactly L(E − hours·1h, E]. */
function levelOverHours(levels: LevelSeries, hour: number, hours: number, skip = 0): number | null {
  let weighted = 0;
  let weights = 0;
  for (let k = skip; k < skip + hours; k++) {
    const l = levels.get(hour - k * HOUR_MS);
    if (!l) continue;
    weighted += l.level * l.weight;
    weights += l.weight;
  }
  return weights > 0 ? weighted / weights : null;
}

/** 7. Levels of the last 1h, 4h and 24h blended 0.5/0.3/0.2, missing windows left out. */
export function multiTimeframeSentiment(levels: LevelSeries, hour: number): number | null {
  let weighted = 0;
  let weights = 0;
  for (const [hours, weight] of MULTI_TIMEFRAME_WEIGHTS) {
    const level = levelOverHours(levels, hour, hours);
    if (level === null) continue;
    weighted += weight * level;
    weights += weight;
  }
  return weights > 0 ? weighted / weights : null;
}

/** 8. Level of the last 4 hours minus the level of the 4 hours before. */
export function sentimentMomentum(levels: LevelSeries, hour: number): number | null {
  const recent = levelOverHours(levels, hour, MOMENTUM_HOURS);
  const before = levelOverHours(levels, hour, MOMENTUM_HOURS, MOMENTUM_HOURS);
  return recent === null || before === null ? null : recent - before;
}

/** The level of each of the last 24 hours, oldest first; null for an hour without documents. */
export function hourlySentimentLevels(levels: LevelSeries, hour: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let k = DOCUMENT_WINDOW_HOURS - 1; k >= 0; k--) out.push(levels.get(hour - k * HOUR_MS)?.level ?? null);
  return out;
}

/** 9. Population standard deviation of the hourly levels that exist (at least 2). */
export function sentimentVolatility(levels: readonly (number | null)[]): number | null {
  const present = levels.filter((l): l is number => l !== null);
  return present.length >= 2 ? populationStd(present) : null;
}

/** 10–12. Shares of bullish, bearish and neutral documents of the last 24 hours; they sum to 1. */
export function sentimentRatios(docs: readonly SentimentSample[], hour: number): { bullish: number; bearish: number; neutral: number } | null {
  const recent = lastDay(docs, hour);
  if (!recent.length) return null;
  const bullish = recent.filter((d) => polarityOf(d.compound) === 'bullish').length / recent.length;
  const bearish = recent.filter((d) => polarityOf(d.compound) === 'bearish').length / recent.length;
  return { bullish, bearish, neutral: 1 - (bullish + bearish) };
}

/** 13. sign(slope)·R² of the hourly levels against their hour index (at least 3 levels). */
export function sentimentTrendStrength(levels: readonly (number | null)[]): number | null {
  const points = levels.flatMap((y, x) => (y === null ? [] : [{ x, y }]));
  if (points.length < 3) return null;
  // Checked exactly: the sums below would leave rounding noise instead of a clean 0.
  if (points.every((p) => p.y === points[0]!.y)) return 0;
  const mx = mean(points.map((p) => p.x))!;
  const my = mean(points.map((p) => p.y))!;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const { x, y } of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  if (sxy === 0) return 0;
  const r2 = (sxy * sxy) / (sxx * syy);
  return Math.sign(sxy) * Math.min(1, r2);
}

/** Candles opening in (from, to]. */
function candlesIn(candles: readonly Candle[], from: number, to: number): Candle[] {
  return candles.filter((c) => c.timestamp > from && c.timestamp <= to);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** 5. Signed volume share of the unusually heavy candles of the last 24 hours. */
export function whaleSentimentProxy(candles: readonly Candle[], hour: number): number | null {
  const baseline = candlesIn(candles, hour - WHALE_BASELINE_HOURS * HOUR_MS, hour);
  if (baseline.length < WHALE_WINDOW_HOURS) return null;
  const typical = median(baseline.map((c) => c.volume));
  if (!(typical > 0)) return null;
  const whales = candlesIn(candles, hour - WHALE_WINDOW_HOURS * HOUR_MS, hour).filter((c) => c.volume >= WHALE_VOLUME_MULTIPLE * typical);
  const volume = whales.reduce((sum, c) => sum + c.volume, 0);
  if (volume === 0) return 0;
  return whales.reduce((sum, c) => sum + Math.sign(c.close - c.open) * c.volume, 0) / volume;
}

/** Price momentum P of definition 6, in (−1, 1), or null without the candles it needs. */
export function priceMomentum(candles: readonly Candle[], hour: number): number | null {
  const byTime = new Map(candles.map((c) => [c.timestamp, c]));
  const now = byTime.get(hour);
  const dayAgo = byTime.get(hour - MOMENTUM_WINDOW_HOURS * HOUR_MS);
  if (!now || !dayAgo) return null;
  const returns: number[] = [];
  for (const c of candlesIn(candles, hour - MOMENTUM_WINDOW_HOURS * HOUR_MS, hour)) {
    const previous = byTime.get(c.timestamp - HOUR_MS);
    if (previous) returns.push(Math.log(c.close / previous.close));
  }
  if (returns.length < 2) return null;
  const r24 = Math.log(now.close / dayAgo.close);
  const sigma = populationStd(returns);
  return sigma > 0 ? Math.tanh(r24 / (sigma * Math.sqrt(MOMENTUM_WINDOW_HOURS))) : Math.sign(r24);
}

/** 6. Sentiment level of the last 24 hours minus price momentum. */
export function sentimentDivergenceScore(levels: LevelSeries, candles: readonly Candle[], hour: number): number | null {
  const level = levelOverHours(levels, hour, DOCUMENT_WINDOW_HOURS);
  const momentum = priceMomentum(candles, hour);
  return level === null || momentum === null ? null : level - momentum;
}

/**
 * The candles a row's features actually used, for its provenance: the whale window when the whale
 * proxy is defined, else the momentum window when the divergence is, else none.
 */
export function candlesUsed<C extends Candle>(candles: readonly C[], hour: number, features: Pick<SentimentFeatures, 'whale_sentiment_proxy' | 'sentiment_divergence_score'>): C[] {
  const hours = features.whale_sentiment_proxy !== null ? WHALE_BASELINE_HOURS : features.sentiment_divergence_score !== null ? MOMENTUM_WINDOW_HOURS + 1 : 0;
  return candles.filter((c) => c.timestamp > hour - hours * HOUR_MS && c.timestamp <= hour);
}

/** All 13 features of one row. */
export function computeSentimentFeatures(inputs: SentimentFeatureInputs): SentimentFeatures {
  const { hour, coin, documents, candles } = inputs;
  const pastCandles = candles.filter((c) => c.timestamp <= hour);
  const series = levelSeries(documents, coin, hour, inputs.storedLevels);
  const levels = hourlySentimentLevels(series, hour);
  const ratios = sentimentRatios(documents, hour);
  return {
    fear_greed_index: fearGreedIndex(inputs.fearGreed),
    social_sentiment_score: socialSentimentScore(documents, hour),
    news_sentiment_score: newsSentimentScore(documents, hour),
    weighted_coin_sentiment: weightedCoinSentiment(documents, coin, hour),
    whale_sentiment_proxy: whaleSentimentProxy(pastCandles, hour),
    sentiment_divergence_score: sentimentDivergenceScore(series, pastCandles, hour),
    multi_timeframe_sentiment: multiTimeframeSentiment(series, hour),
    sentiment_momentum: sentimentMomentum(series, hour),
    sentiment_volatility: sentimentVolatility(levels),
    bullish_sentiment_ratio: ratios?.bullish ?? null,
    bearish_sentiment_ratio: ratios?.bearish ?? null,
    neutral_sentiment_ratio: ratios?.neutral ?? null,
    sentiment_trend_strength: sentimentTrendStrength(levels),
  };
}
