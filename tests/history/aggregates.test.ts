import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from '@/lib/db/retention';
import { DEFAULT_TIERS, parseTierList } from '@/lib/db/retention-tiers';
import { poolSessions, withSession } from '@/lib/db/sql';
import { importCandlesFile } from '@/lib/ingest/import';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { marketCandles } from '../market/binance-replay';

const H = 3_600_000;
const Q = 15 * 60_000;
const DAY0 = Date.UTC(2024, 0, 1);

/** Plain mode: an aggregate bucket whose raw rows retention dropped is never rebuilt from what is left. */
describe('aggregates never shrink after retention', () => {
  let db: MigratedDatabase;
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-aggregates-'));
  const csv = (name: string, candles: ReturnType<typeof marketCandles>) => {
    const file = path.join(dir, name);
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...candles.map((c) => [c.timestamp, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n'));
    return file;
  };
  const bucket = (view: string) => async (at: number) =>
    (await db.pool.query<{ candle_count: number; volume: number }>(
      `select candle_count, volume from ${view} where symbol = 'BTC/USDT' and timeframe = '15m' and bucket = $1`,
      [new Date(at)],
    )).rows[0];
  const day = bucket('ml_features_ohlcv_1d');
  const hour = bucket('ml_features_ohlcv_1h');
  // Two days of 15m candles: 4 per hourly bucket, 96 per daily one.
  const candles = marketCandles(192, DAY0, Q, 3);

  beforeAll(async () => {
    db = await createMigratedDatabase();
    await importCandlesFile(poolSessions(db.pool), { file: csv('two-days.csv', candles), symbol: 'BTC/USDT', timeframe: '15m', maxJump: 10 });
  });
  afterAll(() => db.drop());

  it('keeps a day of 96 candles at 96 when one old candle is written again after its raw rows were dropped', async () => {
    const before = await day(DAY0);
    const beforeHour = await hour(DAY0 + H);
    expect([before?.candle_count, beforeHour?.candle_count]).toEqual([96, 4]);
    const tiers = { raw: parseTierList('15m=30d', DEFAULT_TIERS.raw), aggregates: DEFAULT_TIERS.aggregates };
    const { deleted } = await withSession(db.pool, (s) => applyRetention(s, 'plain', { now: new Date(Date.UTC(2024, 5, 1)), tiers }));
    expect(deleted['ml_features_ohlcv 15m']).toBe(192);
    expect(await day(DAY0)).toEqual(before); // the aggregate outlives its rows

    // One candle of that day arrives again (an import with --allow-expiring, a late refill).
    await importCandlesFile(poolSessions(db.pool), { file: csv('one.csv', [candles[5]!]), symbol: 'BTC/USDT', timeframe: '15m', maxJump: 10 });
    expect((await db.pool.query("select count(*)::int as n from ml_features_ohlcv where timeframe = '15m'")).rows[0].n).toBe(1);
    expect(await hour(DAY0 + H)).toEqual(beforeHour);
    expect(await day(DAY0)).toEqual(before);
  });

  it('buckets after the cut-off still follow their rows', async () => {
    const recent = marketCandles(96, Date.UTC(2024, 4, 20), Q, 4);
    await importCandlesFile(poolSessions(db.pool), { file: csv('recent.csv', recent), symbol: 'BTC/USDT', timeframe: '15m', maxJump: 10 });
    expect((await day(Date.UTC(2024, 4, 20)))?.candle_count).toBe(96);
  });
});
