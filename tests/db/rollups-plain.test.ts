import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRetention } from '../../lib/db/retention';
import { DEFAULT_TIERS, parseTierList } from '../../lib/db/retention-tiers';
import { withSession } from '@/lib/db/sql';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import {
  expectedRollups, expectRollupsClose, insertOhlcvSql, makeRows, normalizeRollups, ROLLUP_COLUMNS, type OhlcvRow,
} from '../helpers/ohlcv-rows';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const check = (ok: boolean, message: string) => expect(ok, message).toBe(true);

describe('plain-mode rollup tables (embedded PostgreSQL)', () => {
  let db: MigratedDatabase;
  const rows: OhlcvRow[] = [
    ...makeRows('BTC/USDT', '15m', new Date('2024-03-01T22:00:00Z'), 15, 24 * 4 + 7, 1),
    ...makeRows('ETH/USDT', '1h', new Date('2024-03-01T05:00:00Z'), 60, 60, 2),
  ];

  const read = async (view: string) =>
    normalizeRollups((await db.pool.query(`select ${ROLLUP_COLUMNS} from ${view}`)).rows);

  beforeAll(async () => {
    db = await createMigratedDatabase();
    expect(db.migration.mode).toBe('plain');
    const { sql, params } = insertOhlcvSql(rows);
    await db.pool.query(sql, params);
  });
  afterAll(() => db.drop());

  it('computes a VWAP rollup equal to one worked by hand', async () => {
    // tp = (12 + 9 + 9) / 3 = 10 with volume 1; tp = (21 + 18 + 21) / 3 = 20 with volume 3 → (10 + 60) / 4 = 17.5
    await db.pool.query(`insert into ml_features_ohlcv (timestamp, symbol, timeframe, open_price, high_price, low_price, close_price, volume, source, is_simulated, feature_version) values
      ('2024-05-01T10:00:00Z', 'HAND/USDT', '30m', 10, 12, 9, 9, 1, 'binance', false, 't'),
      ('2024-05-01T10:30:00Z', 'HAND/USDT', '30m', 19, 21, 18, 21, 3, 'binance', false, 't')`);
    const { rows: [hour] } = await db.pool.query("select vwap, volume, open_price, close_price, high_price, low_price from ml_features_ohlcv_1h where symbol = 'HAND/USDT'");
    expect(hour).toEqual({ vwap: 17.5, volume: 4, open_price: 10, close_price: 21, high_price: 21, low_price: 9 });
    const { rows: [day] } = await db.pool.query("select vwap from ml_features_ohlcv_1d where symbol = 'HAND/USDT'");
    expect(day.vwap).toBe(17.5);
    await db.pool.query("delete from ml_features_ohlcv where symbol = 'HAND/USDT'");
    await db.pool.query("delete from ml_features_ohlcv_1h where symbol = 'HAND/USDT'");
    await db.pool.query("delete from ml_features_ohlcv_1d where symbol = 'HAND/USDT'");
  });

  it('holds first open, max high, min low, last close, summed volume, Σ(p·v)/Σv and last indicators per hour and per day', async () => {
    expectRollupsClose(await read('ml_features_ohlcv_1h'), expectedRollups(rows, HOUR), check);
    expectRollupsClose(await read('ml_features_ohlcv_1d'), expectedRollups(rows, DAY), check);
  });

  it('follows changes to rows in buckets that were already rolled up, and late rows', async () => {
    const changed = rows.map((row, i) => (i === 5 || i === 6 ? { ...row, close: row.low, volume: row.volume + 50, rsi: 12.5 } : row));
    const late: OhlcvRow = { ...rows[1]!, timestamp: new Date(rows[1]!.timestamp.getTime() + 5 * 60_000), volume: 9, rsi: 99 };
    const current = [...changed, late];
    for (const batch of [[changed[5]!, changed[6]!], [late]]) {
      const { sql, params } = insertOhlcvSql(batch);
      await db.pool.query(sql, params);
    }
    expectRollupsClose(await read('ml_features_ohlcv_1h'), expectedRollups(current, HOUR), check);
    expectRollupsClose(await read('ml_features_ohlcv_1d'), expectedRollups(current, DAY), check);
  });

  it('rolls back the rollup with the batch when a write fails', async () => {
    const before = await read('ml_features_ohlcv_1h');
    const good = { ...rows[10]!, volume: 12345 };
    const bad = { ...rows[11]!, high: rows[11]!.low - 1 }; // violates the price check constraint
    const { sql, params } = insertOhlcvSql([good, bad]);
    await expect(db.pool.query(sql, params)).rejects.toThrow(/ml_features_ohlcv_prices_check/);
    expect(await read('ml_features_ohlcv_1h')).toEqual(before);
  });

  it('retention deletes old raw rows in batches and keeps their aggregates', async () => {
    const now = new Date('2024-06-15T00:00:00Z'); // > 90 days after every raw row
    const hourlyBefore = await read('ml_features_ohlcv_1h');
    // 15m and 1h rows here: expire every timeframe as the fast ones do by default.
    const tiers = { raw: parseTierList('*=90d', DEFAULT_TIERS.raw), aggregates: parseTierList('*=2y', DEFAULT_TIERS.aggregates) };
    const { deleted } = await withSession(db.pool, (session) => applyRetention(session, 'plain', { now, batchSize: 17, tiers }));
    const raw = Object.entries(deleted).filter(([rule]) => rule.startsWith('ml_features_ohlcv '));
    expect(raw.reduce((sum, [, n]) => sum + n, 0)).toBe(rows.length + 1);
    expect((await db.pool.query('select count(*)::int as n from ml_features_ohlcv')).rows[0].n).toBe(0);
    expect(await read('ml_features_ohlcv_1h')).toEqual(hourlyBefore);

    const later = new Date('2026-06-15T00:00:00Z'); // > 2 years: the aggregates go too
    await withSession(db.pool, (session) => applyRetention(session, 'plain', { now: later, tiers }));
    expect((await db.pool.query('select count(*)::int as n from ml_features_ohlcv_1h')).rows[0].n).toBe(0);
  });
});
