import { afterAll, describe, expect, it } from 'vitest';
import { createTimescaleDatabase, hasTimescaleServer, type TimescaleDatabase } from '../helpers/timescale-server';
import { insertOhlcvSql, makeRows } from '../helpers/ohlcv-rows';

const APACHE = { 'timescaledb.license': 'apache' };

/**
 * A managed service that offers only TimescaleDB's Apache-2 edition (hypertables, but no continuous
 * aggregates, compression or policies): the product migrates in plain mode there, and says why when
 * DATABASE_MODE=timescale insists. Emulated on the real server with the database-level license setting.
 */
describe.runIf(hasTimescaleServer('TimescaleDB Apache-2 edition'))('TimescaleDB without the TSL features', () => {
  const opened: TimescaleDatabase[] = [];
  afterAll(async () => {
    for (const db of opened) await db.drop();
  });

  it('falls back to plain mode in auto mode, with rollups kept by triggers', async () => {
    const db = await createTimescaleDatabase({ mode: 'auto', settings: APACHE });
    opened.push(db);
    expect(db.migration.mode).toBe('plain');
    const rows = makeRows('BTC/USDT', '1h', new Date('2024-03-01T00:00:00Z'), 60, 30, 5);
    const { sql, params } = insertOhlcvSql(rows);
    await db.session.query(sql, params);
    const [hourly] = await db.session.query<{ n: number }>('select count(*)::int as n from ml_features_ohlcv_1h');
    expect(hourly!.n).toBe(30);
    const hypertables = await db.session.query("select 1 from pg_extension where extname = 'timescaledb'");
    expect(hypertables).toEqual([]);
  });

  it('refuses DATABASE_MODE=timescale there, naming the reason', async () => {
    await expect(createTimescaleDatabase({ mode: 'timescale', settings: APACHE })).rejects.toThrow(/Apache-2 edition.*no continuous aggregates/);
  });
});
