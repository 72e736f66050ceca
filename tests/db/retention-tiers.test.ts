import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config/env';
import { applyRetention, retentionRules } from '@/lib/db/retention';
import { DEFAULT_TIERS, parseHorizon, parseTierList, tiersFrom } from '@/lib/db/retention-tiers';
import { expiringCandles } from '@/lib/ingest/expiring';
import { withSession } from '@/lib/db/sql';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';

const D = 86_400_000;

describe('retention tiers from the environment', () => {
  it('keeps 1h and longer by default and expires the fast timeframes after 90 days', () => {
    const tiers = tiersFrom(parseConfig({}));
    expect(tiers.raw).toMatchObject({ '1m': 90, '15m': 90, '1h': null, '4h': null, '1d': null });
    expect(tiers.aggregates).toMatchObject({ '1m': 730, '1h': null });
  });

  it('reads per-timeframe entries, `*` and off', () => {
    expect(parseHorizon('12w')).toBe(84);
    expect(parseHorizon('2y')).toBe(730);
    expect(parseHorizon('OFF')).toBeNull();
    const tiers = tiersFrom(parseConfig({ RETENTION_RAW: '*=1y,1d=off', RETENTION_AGGREGATES: '*=off' }));
    expect(tiers.raw).toMatchObject({ '1m': 365, '1h': 365, '1d': null });
    expect(parseTierList('', DEFAULT_TIERS.raw)).toEqual(DEFAULT_TIERS.raw);
  });

  it.each([
    [{ RETENTION_RAW: '1h=90' }, /RETENTION_RAW: "90" is not a horizon/],
    [{ RETENTION_RAW: '2m=90d' }, /RETENTION_RAW: "2m" is not a timeframe/],
    [{ RETENTION_RAW: '1h' }, /RETENTION_RAW: "1h" must look like 1m=90d/],
    [{ RETENTION_RAW: '1m=7d' }, /RETENTION_RAW: 1m keeps 7d, at least 14d/],
    // Aggregates must outlive their raw rows: shorter, or finite while the rows are kept forever.
    [{ RETENTION_AGGREGATES: '1m=30d' }, /RETENTION_AGGREGATES: 1m keeps 30d, less than its raw rows \(90d\)/],
    [{ RETENTION_AGGREGATES: '1h=5y' }, /RETENTION_AGGREGATES: 1h keeps 1825d, less than its raw rows \(off\)/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('labels follow the raw tier of their timeframe, sentiment and predictions the 1h tier', () => {
    const tiers = tiersFrom(parseConfig({ RETENTION_RAW: '1h=400d' }));
    const rules = retentionRules(tiers, 'plain');
    const byName = new Map(rules.map((r) => [r.name, r]));
    expect(byName.get('ml_labels 1h')).toMatchObject({ days: 400, where: 'source = $2', param: 'ohlcv:1h' });
    expect(byName.get('ml_labels 15m')).toMatchObject({ days: 90, param: 'ohlcv:15m' });
    expect(byName.get('ml_features_sentiment')).toMatchObject({ days: 400 });
    expect(byName.get('ml_predictions')).toMatchObject({ days: 400 });
    expect(byName.has('ml_features_ohlcv 4h')).toBe(false); // off: no rule at all
    // TimescaleDB: hypertables and aggregates belong to the ff_retention jobs; rules only trim the bookkeeping.
    expect(retentionRules(tiers, 'timescale').map((r) => r.table)).toEqual(
      ['collection_attempts', 'collection_runs', 'ingest_quarantine', 'simulated_replacements', 'sentiment_documents']);
  });

  it('says which candles an import would lose and when', () => {
    const now = Date.UTC(2025, 0, 1);
    const stamps = [now - 100 * D, now - 95 * D, now - 10 * D];
    expect(expiringCandles(stamps, '1m', DEFAULT_TIERS, now)).toEqual({ dueNow: 2, later: 1, firstLaterAt: now + 80 * D, days: 90, timeframe: '1m' });
    expect(expiringCandles(stamps, '1h', DEFAULT_TIERS, now)).toBeNull();
  });
});

describe('retention on the embedded database, by tier', () => {
  let db: MigratedDatabase;
  const now = new Date('2025-06-01T00:00:00Z');
  beforeAll(async () => {
    db = await createMigratedDatabase();
    const insert = (symbol: string, timeframe: string, at: string) =>
      db.pool.query(
        `insert into ml_features_ohlcv (timestamp, symbol, timeframe, open_price, high_price, low_price, close_price, volume, source, is_simulated, feature_version)
         values ($1, $2, $3, 10, 11, 9, 10, 1, 'binance', false, 't')`,
        [at, symbol, timeframe],
      );
    const label = (timeframe: string, at: string) =>
      db.pool.query(
        `insert into ml_labels (timestamp, symbol, label_type, horizon, label_value, future_timestamp, source, label_version)
         values ($1, 'BTC/USDT', 'price_direction', '4h', 'up', $1::timestamptz + interval '4 hours', $2, 'labels-v1')`,
        [at, `ohlcv:${timeframe}`],
      );
    await insert('BTC/USDT', '1m', '2024-01-01T00:00:00Z');
    await insert('BTC/USDT', '1m', '2025-05-30T00:00:00Z');
    await insert('BTC/USDT', '1h', '2020-01-01T00:00:00Z');
    await label('1m', '2024-01-01T00:00:00Z');
    await label('1h', '2020-01-01T00:00:00Z');
    await db.pool.query(`insert into ml_features_sentiment (timestamp, symbol, feature_version) values ('2020-01-01T00:00:00Z', 'BTC/USDT', 's')`);
  });
  afterAll(() => db.drop());

  const count = async (sql: string) => (await db.pool.query<{ n: number }>(`select count(*)::int as n from ${sql}`)).rows[0]!.n;

  it('a dry run counts and deletes nothing; the run deletes exactly the expired tiers, keeping years of 1h history', async () => {
    const dry = await withSession(db.pool, (session) => applyRetention(session, 'plain', { now, dryRun: true, tiers: DEFAULT_TIERS }));
    expect(dry.deleted).toMatchObject({ 'ml_features_ohlcv 1m': 1, 'ml_labels 1m': 1 });
    expect(await count('ml_features_ohlcv')).toBe(3);
    const run = await withSession(db.pool, (session) => applyRetention(session, 'plain', { now, tiers: DEFAULT_TIERS, batchSize: 1 }));
    expect(run.deleted).toMatchObject({ 'ml_features_ohlcv 1m': 1, 'ml_labels 1m': 1 });
    expect(await count("ml_features_ohlcv where timeframe = '1h'")).toBe(1);
    expect(await count("ml_labels where source = 'ohlcv:1h'")).toBe(1);
    expect(await count('ml_features_sentiment')).toBe(1);
    // The 1m aggregate of the deleted candle outlives it (2 years).
    expect(await count("ml_features_ohlcv_1d where timeframe = '1m'")).toBe(2);
  });
});
