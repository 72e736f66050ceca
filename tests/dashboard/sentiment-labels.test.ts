import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getLabelDistribution } from '@/lib/dashboard/labels';
import { getSentimentHistory } from '@/lib/dashboard/sentiment';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { D, H, insertLabels, insertSentiment } from './seed';

const START = Date.UTC(2022, 0, 1);

describe('sentiment and label read models', () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    await insertSentiment(db.pool, 'BTC/USDT', START, 24 * 60);
    await insertLabels(db.pool, 'BTC/USDT', 'direction', '4h', START, 24 * 30);
    await insertLabels(db.pool, 'BTC/USDT', 'direction', '1d', START, 24 * 30);
  }, 60_000);
  afterAll(() => db.drop());

  it('reads hourly sentiment for a week and daily means for three months, ending at the newest sample', async () => {
    const newest = START + (24 * 60 - 1) * H;
    const week = await getSentimentHistory(db.pool, { symbol: 'BTC/USDT', range: '1w' });
    expect(week).toMatchObject({ bucket: '1h', to: newest, from: newest - 7 * D, symbols: ['BTC/USDT'] });
    expect(week.points).toHaveLength(7 * 24);
    // Hours 1272..1439 are in the window; every fifth hour had its news input simulated.
    const fifths = Array.from({ length: 168 }, (_, k) => 1272 + k).filter((i) => i % 5 === 0).length;
    expect(week.points.filter((p) => p.simulated).length).toBe(fifths);
    const quarter = await getSentimentHistory(db.pool, { symbol: 'BTC/USDT', range: '90d' });
    expect(quarter.bucket).toBe('1d');
    expect(quarter.points).toHaveLength(60);
    expect(quarter.points[0]).toMatchObject({ samples: 24, bullish_sentiment_ratio: 0.5 });
    // Which inputs were real: news was simulated in every fifth row.
    expect(quarter.inputs).toEqual([
      { input: 'fear_greed', real: 1440, simulated: 0 },
      { input: 'news', real: 1152, simulated: 288 },
      { input: 'social', real: 1440, simulated: 0 },
    ]);
  });

  it('has nothing, and says so with null bounds, for a symbol without sentiment', async () => {
    expect(await getSentimentHistory(db.pool, { symbol: 'ETH/USDT', range: '30d' })).toMatchObject({ points: [], from: null, to: null, symbols: ['BTC/USDT'] });
  });

  it('stacks label values per day, with class balance and realized return by label', async () => {
    const labels = await getLabelDistribution(db.pool, { symbol: 'BTC/USDT', range: '30d' });
    expect(labels.kinds).toEqual([
      { labelType: 'direction', horizon: '1d', labels: 720 },
      { labelType: 'direction', horizon: '4h', labels: 720 },
    ]);
    expect(labels).toMatchObject({ labelType: 'direction', horizon: '1d', values: ['down', 'flat', 'up'] });
    expect(labels.days).toHaveLength(30);
    expect(labels.days[0]).toEqual({ t: START, counts: { down: 8, flat: 8, up: 8 }, simulated: 0 });
    expect(labels.classes.map((c) => [c.value, c.count, c.share])).toEqual([['down', 240, 1 / 3], ['flat', 240, 1 / 3], ['up', 240, 1 / 3]]);
    const up = labels.classes.find((c) => c.value === 'up')!;
    expect(up.meanReturn).toBeCloseTo(0.01);
    expect(up.avgConfidence).toBeCloseTo(0.8);
    expect(up.quantiles).toMatchObject({ p50: 0.01 });
    const fourHours = await getLabelDistribution(db.pool, { symbol: 'BTC/USDT', labelType: 'direction', horizon: '4h', range: '1w' });
    expect(fourHours.horizon).toBe('4h');
    expect(fourHours.days.length).toBeGreaterThanOrEqual(7);
    expect(fourHours.days.length).toBeLessThanOrEqual(8);
  });

  it('returns no days for an unknown label type', async () => {
    expect(await getLabelDistribution(db.pool, { symbol: 'BTC/USDT', labelType: 'triple_barrier', range: '30d' })).toMatchObject({ days: [], classes: [], to: null });
  });
});
