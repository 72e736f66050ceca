import { describe, expect, it } from 'vitest';
import { FEATURE_CATALOGUE, SENTIMENT_INPUTS, sentimentFeaturesUsing } from '@/lib/features/catalogue';
import { computeOhlcvFeatures } from '@/lib/features';
import { FEATURE_COLUMNS, FEATURE_DEFINITIONS } from '@/lib/features/definitions';
import { simulateCandles } from '@/lib/market/simulate';
import { computeSentimentFeatures, SENTIMENT_FEATURE_COLUMNS, type SentimentSample } from '@/lib/sentiment/features';

const H = 3_600_000;

describe('feature catalogue', () => {
  it('lists every stored feature once: the 33 OHLCV and 13 sentiment columns, in table order', () => {
    expect(FEATURE_CATALOGUE).toHaveLength(46);
    expect(FEATURE_CATALOGUE.map((e) => e.name)).toEqual([...FEATURE_COLUMNS, ...SENTIMENT_FEATURE_COLUMNS]);
    for (const entry of FEATURE_CATALOGUE) {
      expect([entry.name, entry.definition.length > 10, entry.unit.length > 0]).toEqual([entry.name, true, true]);
      expect(entry.version).toMatch(entry.family === 'ohlcv' ? /^ohlcv-v\d+$/ : /^sentiment-v\d+$/);
    }
  });

  it('states the OHLCV warm-up the engine really has: the first row with a value', () => {
    const seed = { timestamp: -H, open: 100, high: 100, low: 100, close: 100, volume: 1000 };
    const candles = simulateCandles([seed], Array.from({ length: 400 }, (_, i) => i * H), { timeframe: '1h', seed: 7 });
    const rows = computeOhlcvFeatures(candles);
    for (const entry of FEATURE_CATALOGUE.filter((e) => e.family === 'ohlcv')) {
      const first = rows.findIndex((r) => r[entry.name as keyof (typeof rows)[number]] !== null);
      expect([entry.name, entry.warmUp.rows]).toEqual([entry.name, first]);
      expect(entry.definition).toBe(FEATURE_DEFINITIONS[entry.name as keyof typeof FEATURE_DEFINITIONS].definition);
    }
  });

  it('names the inputs each sentiment feature is computed from, as the computation uses them', () => {
    for (const entry of FEATURE_CATALOGUE.filter((e) => e.family === 'sentiment')) {
      expect(entry.inputs.length).toBeGreaterThan(0);
      for (const input of entry.inputs) expect(SENTIMENT_INPUTS).toContain(input);
    }
    // Removing one input's data changes exactly the features the catalogue says use it (or leaves them null).
    const hour = Date.UTC(2024, 0, 10);
    const documents: SentimentSample[] = Array.from({ length: 48 }, (_, i) => ({
      kind: i % 2 ? 'news' : 'social', publishedAt: hour + H - i * 30 * 60_000, compound: Math.sin(i) * 0.8, mentions: (i % 3 ? { BTC: 1 } : {}) as Record<string, number>,
    }));
    const candles = Array.from({ length: 200 }, (_, i) => ({ timestamp: hour - (199 - i) * H, open: 100 + i, high: 102 + i, low: 99 + i, close: 101 + i + (i % 7), volume: i % 20 ? 10 : 100 }));
    const full = computeSentimentFeatures({ hour, coin: 'BTC', fearGreed: 40, documents, candles });
    const without = {
      fear_greed: computeSentimentFeatures({ hour, coin: 'BTC', fearGreed: null, documents, candles }),
      news: computeSentimentFeatures({ hour, coin: 'BTC', fearGreed: 40, documents: documents.filter((d) => d.kind !== 'news'), candles }),
      social: computeSentimentFeatures({ hour, coin: 'BTC', fearGreed: 40, documents: documents.filter((d) => d.kind !== 'social'), candles }),
      candles: computeSentimentFeatures({ hour, coin: 'BTC', fearGreed: 40, documents, candles: [] }),
    };
    for (const input of SENTIMENT_INPUTS) {
      const changed = SENTIMENT_FEATURE_COLUMNS.filter((c) => without[input][c] !== full[c]);
      for (const c of changed) expect([input, c, sentimentFeaturesUsing(input).includes(c)]).toEqual([input, c, true]);
    }
    expect(sentimentFeaturesUsing('fear_greed')).toEqual(['fear_greed_index']);
    expect(sentimentFeaturesUsing('candles')).toEqual(['whale_sentiment_proxy', 'sentiment_divergence_score']);
  });
});
