import { describe, expect, it } from 'vitest';
import type { Candle } from '@/lib/market/candle';
import { seededRandom } from '@/lib/market/random';
import {
  applicableFearGreed,
  computeSentimentFeatures,
  hourlySentimentLevels,
  levelSeries,
  multiTimeframeSentiment,
  newsSentimentScore,
  priceMomentum,
  SENTIMENT_FEATURE_COLUMNS,
  sentimentMomentum,
  sentimentRatios,
  sentimentTrendStrength,
  sentimentVolatility,
  socialSentimentScore,
  weightedCoinSentiment,
  whaleSentimentProxy,
  type SentimentSample,
} from '@/lib/sentiment/features';

const H_MS = 3_600_000;
const HOUR = Date.UTC(2024, 5, 10, 13); // the row: 13:00–14:00 UTC
const END = HOUR + H_MS;
const at = (hoursBeforeEnd: number) => END - hoursBeforeEnd * H_MS;
const doc = (kind: 'news' | 'social', publishedAt: number, compound: number, mentions: Record<string, number> = {}): SentimentSample => ({ kind, publishedAt, compound, mentions });

// Hand-made documents; the expected values below are worked out by hand from the definitions.
const DOCS: SentimentSample[] = [
  doc('news', at(1 / 6), 0.6, { BTC: 2 }), // 13:50
  doc('news', at(3), -0.4), // 11:00
  doc('social', at(0.5), 0.2, { BTC: 1 }), // 13:30
  doc('social', at(6), -0.8, { ETH: 1 }), // 08:00
  doc('social', at(2), 0), // 12:00
  doc('news', at(25), 1), // before the 24-hour window
];
const LATER: SentimentSample[] = [doc('news', END + 60_000, -1, { BTC: 5 }), doc('social', END + H_MS, 1)];

/** 200 hourly candles up to HOUR: flat at 100, then the last 24 returns alternate +3% / −1% (log). */
function candles(): Candle[] {
  const out: Candle[] = [];
  let close = 100;
  for (let k = 0; k < 200; k++) {
    const open = close;
    if (k >= 176) close = open * Math.exp((k - 176) % 2 === 0 ? 0.03 : -0.01);
    const timestamp = HOUR - (199 - k) * H_MS;
    const volume = timestamp === HOUR - 2 * H_MS ? 50 : timestamp === HOUR - 5 * H_MS ? 40 : timestamp === HOUR - 30 * H_MS ? 35 : 10;
    out.push({ timestamp, open, high: Math.max(open, close), low: Math.min(open, close), close, volume });
  }
  return out;
}
const AFTER: Candle[] = [{ timestamp: HOUR + H_MS, open: 100, high: 300, low: 50, close: 250, volume: 10_000 }];

describe('sentiment features on hand-made inputs', () => {
  it('news and social scores are the means of their kind over the last 24 hours', () => {
    expect(newsSentimentScore(DOCS, HOUR)).toBeCloseTo((0.6 - 0.4) / 2, 12);
    expect(socialSentimentScore(DOCS, HOUR)).toBeCloseTo((0.2 - 0.8 + 0) / 3, 12);
    expect(newsSentimentScore([], HOUR)).toBeNull();
  });

  it('weighted coin sentiment weighs each document by its mentions of the coin', () => {
    expect(weightedCoinSentiment(DOCS, 'BTC', HOUR)).toBeCloseTo((2 * 0.6 + 1 * 0.2) / 3, 12);
    expect(weightedCoinSentiment(DOCS, 'ETH', HOUR)).toBeCloseTo(-0.8, 12);
    expect(weightedCoinSentiment(DOCS, 'SOL', HOUR)).toBeNull();
  });

  // Levels for BTC (weight 1 + mentions): last 1h (13:00, 14:00] = (3·0.6 + 2·0.2)/5 = 0.44;
  // last 4h adds 11:00 (−0.4) and 12:00 (0): 1.8/7; last 24h adds 08:00 (−0.8): 1.0/8.
  it('multi-timeframe sentiment blends the 1h, 4h and 24h levels 0.5/0.3/0.2', () => {
    expect(multiTimeframeSentiment(levelSeries(DOCS, 'BTC', HOUR), HOUR)).toBeCloseTo(0.5 * 0.44 + 0.3 * (1.8 / 7) + 0.2 * (1.0 / 8), 12);
    // Without documents in the last hour the other two carry all the weight: (0.3·L4 + 0.2·L24)/0.5.
    const quietHour = DOCS.filter((d) => d.publishedAt <= at(1));
    expect(multiTimeframeSentiment(levelSeries(quietHour, 'BTC', HOUR), HOUR)).toBeCloseTo((0.3 * (-0.4 / 2) + 0.2 * (-1.2 / 3)) / 0.5, 12);
  });

  it('momentum is the last 4 hours against the 4 hours before', () => {
    expect(sentimentMomentum(levelSeries(DOCS, 'BTC', HOUR), HOUR)).toBeCloseTo(1.8 / 7 - -0.8, 12);
    expect(sentimentMomentum(levelSeries(DOCS.filter((d) => d.publishedAt > at(4)), 'BTC', HOUR), HOUR)).toBeNull();
  });

  it('volatility and trend strength come from the hourly levels', () => {
    const levels = hourlySentimentLevels(levelSeries(DOCS, 'BTC', HOUR), HOUR);
    expect(levels).toHaveLength(24);
    const present = levels.flatMap((l, i) => (l === null ? [] : [[i, l]]));
    expect(present.map(([i]) => i)).toEqual([17, 20, 21, 23]);
    expect(present.map(([, l]) => l)).toEqual([-0.8, -0.4, 0, expect.closeTo(0.44, 12)]);
    const ys = [-0.8, -0.4, 0, 0.44];
    const mean = ys.reduce((a, b) => a + b) / 4;
    expect(sentimentVolatility(levels)).toBeCloseTo(Math.sqrt(ys.reduce((s, y) => s + (y - mean) ** 2, 0) / 4), 12);
    // Pearson r² by the textbook sums formula, signed by the slope.
    const xs = [17, 20, 21, 23];
    const n = 4;
    const sx = xs.reduce((a, b) => a + b);
    const sy = ys.reduce((a, b) => a + b);
    const sxy = xs.reduce((s, x, i) => s + x * ys[i]!, 0);
    const sxx = xs.reduce((s, x) => s + x * x, 0);
    const syy = ys.reduce((s, y) => s + y * y, 0);
    const r = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    expect(sentimentTrendStrength(levels)).toBeCloseTo(r * r, 10);
    expect(sentimentTrendStrength([...levels].reverse())).toBeCloseTo(-r * r, 10);
    expect(sentimentTrendStrength([0.1, null, 0.1, 0.1])).toBe(0);
    expect(sentimentTrendStrength([0.1, 0.2])).toBeNull();
    expect(sentimentVolatility([0.3])).toBeNull();
  });

  it('ratios count bullish, bearish and neutral documents and sum to 1', () => {
    expect(sentimentRatios(DOCS, HOUR)).toEqual({ bullish: 2 / 5, bearish: 2 / 5, neutral: expect.closeTo(1 / 5, 15) });
    expect(sentimentRatios([], HOUR)).toBeNull();
    const random = seededRandom(7);
    for (let trial = 0; trial < 500; trial++) {
      const docs = Array.from({ length: 1 + Math.floor(random() * 40) }, () => doc('news', at(random() * 23), Math.round((random() * 2 - 1) * 20) / 20));
      const r = sentimentRatios(docs, HOUR)!;
      expect(Math.abs(r.bullish + r.bearish + r.neutral - 1)).toBeLessThan(1e-12);
      expect(Math.min(r.bullish, r.bearish, r.neutral)).toBeGreaterThanOrEqual(0);
    }
  });

  it('whale proxy: signed volume of candles at least 3× the weekly median, over the last day', () => {
    // Whales in the last 24 hours: 13:00−2h (volume 50, a −1% candle) and 13:00−5h (40, a +3% candle);
    // the heavy candle 30 hours ago is outside the window.
    expect(whaleSentimentProxy(candles(), HOUR)).toBeCloseTo((-50 + 40) / 90, 12);
    expect(whaleSentimentProxy(candles().map((c) => ({ ...c, volume: 10 })), HOUR)).toBe(0);
    expect(whaleSentimentProxy(candles().slice(-23), HOUR)).toBeNull();
  });

  it('divergence is the 24h level minus tanh of the volatility-scaled 24h return', () => {
    // 24 returns alternating +0.03 / −0.01: r24 = 0.24, σ = 0.02, so P = tanh(0.24 / (0.02·√24)) = tanh(√6).
    expect(priceMomentum(candles(), HOUR)).toBeCloseTo(Math.tanh(Math.sqrt(6)), 12);
    const features = computeSentimentFeatures({ hour: HOUR, coin: 'BTC', fearGreed: 74, documents: DOCS, candles: candles() });
    expect(features.sentiment_divergence_score).toBeCloseTo(1.0 / 8 - Math.tanh(Math.sqrt(6)), 12);
  });

  it('all 13 features, each within its stated range', () => {
    const f = computeSentimentFeatures({ hour: HOUR, coin: 'BTC', fearGreed: 74, documents: DOCS, candles: candles() });
    expect(Object.keys(f).sort()).toEqual([...SENTIMENT_FEATURE_COLUMNS].sort());
    expect(Object.values(f).every((v) => v !== null)).toBe(true);
    expect(f.fear_greed_index).toBe(74);
    const ranges: Record<string, [number, number]> = {
      social_sentiment_score: [-1, 1],
      news_sentiment_score: [-1, 1],
      weighted_coin_sentiment: [-1, 1],
      whale_sentiment_proxy: [-1, 1],
      sentiment_divergence_score: [-2, 2],
      multi_timeframe_sentiment: [-1, 1],
      sentiment_momentum: [-2, 2],
      sentiment_volatility: [0, 1],
      sentiment_trend_strength: [-1, 1],
    };
    for (const [column, [lo, hi]] of Object.entries(ranges)) {
      const value = f[column as keyof typeof f]!;
      expect(value, column).toBeGreaterThanOrEqual(lo);
      expect(value, column).toBeLessThanOrEqual(hi);
    }
  });

  it('features at an hour never depend on anything after it ended, nor on documents older than 24 hours', () => {
    const base = computeSentimentFeatures({ hour: HOUR, coin: 'BTC', fearGreed: 74, documents: DOCS, candles: candles() });
    const withFuture = computeSentimentFeatures({ hour: HOUR, coin: 'BTC', fearGreed: 74, documents: [...DOCS, ...LATER], candles: [...candles(), ...AFTER] });
    expect(withFuture).toEqual(base);
    const withoutOld = computeSentimentFeatures({ hour: HOUR, coin: 'BTC', fearGreed: 74, documents: DOCS.filter((d) => d.publishedAt > at(24)), candles: candles() });
    expect(withoutOld).toEqual(base);
  });

  it('momentum, volatility and trend come from the stored hourly levels of earlier hours', () => {
    const base = computeSentimentFeatures({ hour: HOUR, coin: 'BTC', fearGreed: 74, documents: DOCS, candles: candles() });
    // Each earlier hour's level as its row stored it, then only the row's own hour among the documents:
    // what a collection sees after a restart, or once the older documents are gone.
    const stored = [...levelSeries(DOCS, 'BTC', HOUR).values()].filter((l) => l.hour < HOUR);
    expect(stored.map((l) => (END - l.hour) / H_MS - 1)).toEqual([6, 3, 2]);
    const ownHourOnly = DOCS.filter((d) => d.publishedAt > HOUR);
    const fromStored = computeSentimentFeatures({ hour: HOUR, coin: 'BTC', fearGreed: 74, documents: ownHourOnly, candles: candles(), storedLevels: stored });
    for (const column of ['sentiment_momentum', 'sentiment_volatility', 'sentiment_trend_strength', 'multi_timeframe_sentiment', 'sentiment_divergence_score'] as const) {
      expect(fromStored[column], column).toBeCloseTo(base[column]!, 12);
    }
    // Without the stored levels the same documents give no momentum: the 4 hours before have nothing.
    expect(computeSentimentFeatures({ hour: HOUR, coin: 'BTC', fearGreed: 74, documents: ownHourOnly, candles: candles() }).sentiment_momentum).toBeNull();
    // A stored level wins over the documents of its hour (it is what was known then); the row's own hour never comes from storage.
    const revised = stored.map((l) => ({ ...l, level: 0.9 }));
    const own = { hour: HOUR, level: -1, weight: 100 };
    const levels = hourlySentimentLevels(levelSeries(DOCS, 'BTC', HOUR, [...revised, own]), HOUR);
    expect(levels.filter((l) => l !== null)).toEqual([0.9, 0.9, 0.9, expect.closeTo(0.44, 12)]);
  });

  it('uses the Fear & Greed value published before the hour ended, at most 48 hours old', () => {
    const day = (d: number, value: number) => ({ timestamp: Date.UTC(2024, 5, d), value });
    const points = [day(9, 72), day(10, 74), day(11, 50)];
    expect(applicableFearGreed(points, HOUR)?.value).toBe(74);
    // The 23:00 row ends at midnight: the next day's value (published then) is not yet known.
    expect(applicableFearGreed(points, Date.UTC(2024, 5, 10, 23))?.value).toBe(74);
    expect(applicableFearGreed(points, Date.UTC(2024, 5, 11, 0))?.value).toBe(50);
    expect(applicableFearGreed([day(7, 78)], HOUR)).toBeNull();
  });
});
