import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { poolSessions } from '@/lib/db/sql';
import { generateLabels } from '@/lib/labels/generate';
import { SENTIMENT_FEATURE_COLUMNS, type SentimentFeatures } from '@/lib/sentiment/features';
import { upsertSentimentRow } from '@/lib/sentiment/store';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { candlesFromCloses, HOUR_MS, insertCandles, wanderingCloses } from '../labels/candle-rows';

const T0 = Date.UTC(2024, 3, 1);
const at = (hours: number) => T0 + hours * HOUR_MS;

/** GET /api/features and the overview: the catalogue, and per series up to when each part is materialized. */
describe('GET /api/features', () => {
  let db: MigratedDatabase;
  let GET: (request: Request) => Promise<Response>;
  let overview: typeof import('../../lib/dashboard/overview');
  let closePool: () => Promise<void>;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    await insertCandles(db.pool, 'BTC/USDT', '1h', candlesFromCloses(T0, HOUR_MS, wanderingCloses(60, 1000, 1)));
    await insertCandles(db.pool, 'ETH/USDT', '1h', candlesFromCloses(T0, HOUR_MS, wanderingCloses(60, 100, 2)));
    // ETH's newest two candles still carry features of an older version: not materialized for the current one.
    await db.pool.query(`update ml_features_ohlcv set feature_version = 'ohlcv-v0' where symbol = 'ETH/USDT' and timestamp >= $1`, [new Date(at(58)).toISOString()]);
    await generateLabels({ sessions: poolSessions(db.pool), now: () => at(61) }, { symbols: ['BTC/USDT', 'ETH/USDT'], types: ['price_direction', 'market_regime'], from: T0 });
    const features = Object.fromEntries(SENTIMENT_FEATURE_COLUMNS.map((c) => [c, null])) as SentimentFeatures;
    for (const h of [40, 41, 47]) await upsertSentimentRow(db.pool, { symbol: 'BTC/USDT', hour: at(h), features: { ...features, fear_greed_index: 50 }, realInputs: ['fear_greed'], simulatedInputs: [] });
    vi.stubEnv('DATABASE_URL', db.url);
    vi.stubEnv('TRACKED_SYMBOLS', 'BTC/USDT,SOL/USDT');
    vi.stubEnv('TRACKED_TIMEFRAMES', '1h');
    vi.resetModules();
    ({ GET } = await import('../../app/api/features/route'));
    overview = await import('../../lib/dashboard/overview');
    ({ closePool } = await import('../../lib/db/pool'));
  });
  afterAll(async () => {
    await closePool();
    vi.unstubAllEnvs();
    await db.drop();
  });

  it('serves the 46 features and each series’ materialization, tracked or stored', async () => {
    const response = await GET(new Request('http://localhost/api/features'));
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.count).toBe(46);
    expect(body.features.map((f: { name: string }) => f.name)).toContain('sentiment_trend_strength');
    expect(body.features.find((f: { name: string }) => f.name === 'macd')).toMatchObject({ parameters: { fast: 12, slow: 26, signal: 9 }, warmUp: { rows: 33, unit: 'candles' }, version: 'ohlcv-v1' });
    const bySeries = Object.fromEntries(body.series.map((s: { symbol: string; timeframe: string; materialization: unknown }) => [`${s.symbol} ${s.timeframe}`, s.materialization]));
    expect(Object.keys(bySeries).sort()).toEqual(['BTC/USDT 1h', 'ETH/USDT 1h', 'SOL/USDT 1h']);

    const label = (m: { labels: { type: string; horizon: string }[] }, type: string) => m.labels.find((l) => l.type === type);
    expect(bySeries['BTC/USDT 1h'].features.through).toBe(at(59));
    // 60 candles: the 4h label exists up to 55 (known when candle 59 closed, at 60), the 12h one up to 47.
    expect(label(bySeries['BTC/USDT 1h'], 'price_direction')).toMatchObject({ horizon: '4h', through: at(55), knownAt: at(60) });
    expect(label(bySeries['BTC/USDT 1h'], 'market_regime')).toMatchObject({ horizon: '12h', through: at(47), knownAt: at(60) });
    expect(label(bySeries['BTC/USDT 1h'], 'sector_rotation')).toMatchObject({ through: null, knownAt: null });
    expect(bySeries['BTC/USDT 1h'].sentiment.through).toBe(at(47));
    expect(bySeries['ETH/USDT 1h'].features.through).toBe(at(57));
    expect(bySeries['ETH/USDT 1h'].sentiment.through).toBeNull();
    expect(bySeries['SOL/USDT 1h']).toMatchObject({ features: { through: null }, sentiment: { through: null } });
  });

  it('the overview carries the same status per series', async () => {
    const { getPool } = await import('../../lib/db/pool');
    const result = await overview.getOverview(getPool(), { now: at(61), trackedSymbols: ['BTC/USDT'], trackedTimeframes: ['1h'] });
    const btc = result.series.find((s) => s.symbol === 'BTC/USDT' && s.timeframe === '1h')!;
    expect(btc.materialization.features.through).toBe(at(59));
    expect(btc.materialization.sentiment.through).toBe(at(47));
  });
});
