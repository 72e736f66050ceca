import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StorageCard } from '@/components/quality/storage-card';
import { formatDateTime } from '@/components/ui/format';
import { storageReport } from '@/lib/dashboard/quality/storage';
import { OHLCV_ROLLUPS, refreshRollupsForRange } from '@/lib/db/rollups';
import { insertOhlcvSql, makeRows } from '../helpers/ohlcv-rows';
import { createTimescaleDatabase, hasTimescaleServer, pauseJobs, type TimescaleDatabase } from '../helpers/timescale-server';

/**
 * The quality page's storage card on a real TimescaleDB server: which version is whose, and an
 * aggregate that was never refreshed, rendered by the real component (React's server renderer).
 */
describe.runIf(hasTimescaleServer('quality page storage card on a real TimescaleDB server'))('storage card on a real TimescaleDB server', () => {
  let db: TimescaleDatabase;
  const render = async () => {
    const storage = await storageReport(db.pool, { now: Date.now(), embedded: false });
    return { storage, html: renderToStaticMarkup(createElement(StorageCard, { storage })) };
  };

  beforeAll(async () => {
    db = await createTimescaleDatabase();
    await pauseJobs(db.session);
  }, 120_000);
  afterAll(() => db?.drop());

  it('names PostgreSQL’s version as PostgreSQL’s and TimescaleDB’s as TimescaleDB’s', async () => {
    const [versions] = await db.session.query<{ pg: string; ts: string }>(
      "select current_setting('server_version') as pg, (select extversion from pg_extension where extname = 'timescaledb') as ts");
    const { html } = await render();
    expect(html).toContain(`PostgreSQL ${versions!.pg}`);
    expect(html).toContain(`TimescaleDB ${versions!.ts}`);
    expect(html).not.toContain(`TimescaleDB ${versions!.pg}`);
  });

  it('says "not materialized yet" for an aggregate never refreshed, and the date once it is', async () => {
    const before = await render();
    expect(before.storage.timescale!.aggregates.every((a) => a.watermark === null)).toBe(true);
    expect(before.html).toContain('not materialized yet');
    expect(before.html).not.toMatch(/-4713/);

    const rows = makeRows('BTC/USDT', '1h', new Date('2024-03-01T00:00:00Z'), 60, 48, 4);
    const { sql, params } = insertOhlcvSql(rows);
    await db.session.query(sql, params);
    await refreshRollupsForRange(db.client, 'timescale', OHLCV_ROLLUPS, rows[0]!.timestamp, rows[rows.length - 1]!.timestamp);
    const after = await render();
    const hourly = after.storage.timescale!.aggregates.find((a) => a.view === 'ml_features_ohlcv_1h')!;
    // Refreshed through the end of the last row's day.
    expect(hourly.watermark).toBe(Date.UTC(2024, 2, 3));
    expect(after.html).toContain(formatDateTime(Date.UTC(2024, 2, 3)));
    expect(after.storage.timescale!.aggregates.find((a) => a.view === 'ml_features_sentiment_1h')!.watermark).toBeNull();
  });
});
