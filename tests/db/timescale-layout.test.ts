import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OHLCV_ROLLUPS, refreshRollupsForRange } from '@/lib/db/rollups';
import { applyTimescaleRetention } from '@/lib/db/timescale-jobs';
import { hasBinanceData } from '../helpers/shared';
import { createTimescaleDatabase, hasTimescaleServer, type RowSql, jobId, migrateRest, pauseJobs, runJobInBackground, type TimescaleDatabase } from '../helpers/timescale-server';
import { realHourly, storeVolumeSeries, volumeSeries, type VolumeSeries } from '../helpers/timescale-volume';

const DAY = 86_400_000;
const run = hasTimescaleServer('TimescaleDB layout and retention at scale') && hasBinanceData('TimescaleDB layout and retention at scale');

/** What must survive any layout change, as digests: every raw row and every aggregate row, in key order. */
async function digests(db: RowSql) {
  const [row] = await db.query<Record<string, string>>(`select
    (select md5(string_agg(t::text, '|' order by symbol, timeframe, timestamp)) from ml_features_ohlcv t) as raw,
    (select count(*)::text from ml_features_ohlcv) as raw_rows,
    (select md5(string_agg(t::text, '|' order by symbol, timeframe, bucket)) from ml_features_ohlcv_1h t) as hourly,
    (select md5(string_agg(t::text, '|' order by symbol, timeframe, bucket)) from ml_features_ohlcv_1d t) as daily`);
  return row!;
}

async function chunks(db: RowSql) {
  return db.query<{ chunk: string; compressed: boolean; start: Date; end: Date }>(
    `select chunk_name as chunk, is_compressed as compressed, range_start as start, range_end as "end"
     from timescaledb_information.chunks where hypertable_name = 'ml_features_ohlcv' order by range_start`);
}

const hourlyDigest = async (db: RowSql) =>
  (await db.query<{ d: string }>("select md5(string_agg(t::text, '|' order by symbol, timeframe, bucket)) as d from ml_features_ohlcv_1h t"))[0]!.d;

/** Compresses every closed chunk one statement at a time, as the 0004 policy did day by day. */
async function compressClosedChunks(db: RowSql) {
  const due = await db.query<{ c: string }>(`select c::text from show_chunks('ml_features_ohlcv', older_than => now() - interval '1 day') c`);
  for (const { c } of due) await db.query('select compress_chunk($1::regclass, if_not_compressed => true)', [c]);
  return due.length;
}

async function store(db: TimescaleDatabase, series: VolumeSeries[]) {
  for (const s of series) await storeVolumeSeries(db.client, s);
  const all = series.flatMap((s) => s.candles.map((c) => c.timestamp));
  // As an import does: the aggregates over the written range are materialized.
  await refreshRollupsForRange(db.client, 'timescale', OHLCV_ROLLUPS, new Date(Math.min(...all)), new Date(Math.max(...all)));
}

/**
 * The issue's own case on a real server: two years of the real BTC and ETH 1h candles stored under
 * the layout before migration 0006 (1-day chunks: ~680 of them, compressed), then migrated.
 */
describe.runIf(run)('migration 0006 on a database with two years of compressed 1-day chunks', () => {
  let db: TimescaleDatabase;
  let before: Record<string, string>;
  let oldChunks: number;

  beforeAll(async () => {
    db = await createTimescaleDatabase({ upTo: '0005_history' });
    await pauseJobs(db.session);
    await store(db, volumeSeries(Date.now(), { minuteDays: 0, symbols: ['BTC/USDT', 'ETH/USDT'] }));
    await compressClosedChunks(db.session);
    oldChunks = (await chunks(db.session)).length;
    before = await digests(db.session);
    expect((await migrateRest(db)).applied).toContain('0006_timescale_layout');
    await pauseJobs(db.session);
  }, 600_000);
  afterAll(() => db?.drop());

  it('keeps every row and every aggregate identical through the migration', { timeout: 300_000 }, async () => {
    expect(oldChunks).toBeGreaterThan(600);
    expect(Number(before.raw_rows)).toBe(2 * realHourly('BTC/USDT').length);
    expect(await digests(db.session)).toEqual(before);
  });

  it('merges the old chunks into 30-day chunks in the background, compressed again, rows still identical', { timeout: 600_000 }, async () => {
    const relayout = await jobId(db.session, 'ff_relayout_chunks');
    await db.session.query('select alter_job($1, scheduled => true)', [relayout]);
    const stats = await runJobInBackground(db.session, relayout, 480_000);
    expect(stats.last_run_status).toBe('Success');
    const after = await chunks(db.session);
    const spanDays = (after[after.length - 1]!.end.getTime() - after[0]!.start.getTime()) / DAY;
    expect(after.length).toBeLessThanOrEqual(Math.ceil(spanDays / 30) + 1);
    expect(after.filter((c) => c.end.getTime() < Date.now() - DAY && !c.compressed)).toEqual([]);
    expect(await digests(db.session)).toEqual(before);
    // Segments of hundreds of rows now (24 before), and the compressed table at least this much smaller.
    const [segment] = await db.session.query<{ rows: number; ratio: number }>(`
      select (select count(*)::float8 / count(distinct (tableoid, symbol)) from ml_features_ohlcv where timestamp < now() - interval '31 days') as rows,
        (select sum(before_compression_total_bytes)::float8 / sum(after_compression_total_bytes) from chunk_compression_stats('ml_features_ohlcv')) as ratio`);
    console.log(`[timescale layout] ${oldChunks} → ${after.length} chunks; ${segment!.rows.toFixed(0)} rows per compressed segment; compression ${segment!.ratio.toFixed(2)}× on the real 1h candles`);
    expect(segment!.rows).toBeGreaterThan(600);
    expect(segment!.ratio).toBeGreaterThan(1.3);
  });

  it('retention honours per-timeframe tiers: 1m rows go after their tier, 1h rows of the same chunks stay', async () => {
    const minutes = volumeSeries(Date.now(), { minuteDays: 2, symbols: ['BTC/USDT'] }).find((s) => s.timeframe === '1m')!;
    // Two days of 1m candles 40 days back (beyond a 30-day tier) and the last two days (within it).
    const old = { ...minutes, candles: minutes.candles.map((c) => ({ ...c, timestamp: c.timestamp - 40 * DAY })) };
    await storeVolumeSeries(db.client, old);
    await storeVolumeSeries(db.client, minutes);
    const count = async (where: string) => (await db.session.query<{ n: number }>(`select count(*)::int as n from ml_features_ohlcv where ${where}`))[0]!.n;
    const hourlyBefore = await count("timeframe = '1h'");
    // 1h kept for ever (the default of the history tiers), 1m for 30 days.
    await applyTimescaleRetention(db.client, { raw: { '1m': 30, '1h': null }, aggregates: { '1m': 730, '1h': null } });
    const retention = await jobId(db.session, 'ff_retention', 'ml_features_ohlcv');
    await db.session.query('select alter_job($1, scheduled => true)', [retention]);
    expect((await runJobInBackground(db.session, retention)).last_run_status).toBe('Success');
    expect(await count("timeframe = '1m' and timestamp < now() - interval '30 days'")).toBe(0);
    expect(await count("timeframe = '1m'")).toBe(minutes.candles.length);
    expect(await count("timeframe = '1h'")).toBe(hourlyBefore);
  });

  it('then, with every timeframe expiring (1h after 90 days), drops whole chunks in bounded batches, the aggregates staying', { timeout: 300_000 }, async () => {
    const hourly = (await digests(db.session)).hourly;
    const recent = "select count(*)::int as n from ml_features_ohlcv where timestamp > now() - interval '90 days'";
    const [{ n: recentBefore }] = (await db.session.query<{ n: number }>(recent)) as [{ n: number }];
    await applyTimescaleRetention(db.client, { raw: { '1m': 30, '1h': 90 }, aggregates: { '1m': 3650, '1h': 3650 } });
    const retention = await jobId(db.session, 'ff_retention', 'ml_features_ohlcv');
    expect((await runJobInBackground(db.session, retention)).last_run_status).toBe('Success');
    const left = await chunks(db.session);
    expect(left.every((c) => c.end.getTime() > Date.now() - 90 * DAY)).toBe(true);
    const [{ oldest }] = (await db.session.query<{ oldest: Date }>('select min(timestamp) as oldest from ml_features_ohlcv')) as [{ oldest: Date }];
    expect(oldest.getTime()).toBeGreaterThan(Date.now() - 121 * DAY);
    // Every row younger than the horizon is still there.
    expect(recentBefore).toBeGreaterThan(2 * 80 * 24);
    expect((await db.session.query<{ n: number }>(recent))[0]!.n).toBe(recentBefore);
    expect((await digests(db.session)).hourly).toBe(hourly);
  });
});

/**
 * The backlog that made the stock policy fail for ever ("out of shared memory", stock
 * max_locks_per_transaction 64): ~680 compressed 1-day chunks all past the horizon at once.
 */
describe.runIf(run)('retention with a backlog of ~680 compressed chunks on stock lock settings', () => {
  let db: TimescaleDatabase;
  let due: number;

  beforeAll(async () => {
    db = await createTimescaleDatabase({ upTo: '0005_history' });
    await pauseJobs(db.session);
    // The real ETH candles where they are (2020–2022): every chunk is long past the 90 days.
    const eth = realHourly('ETH/USDT');
    await store(db, [{ symbol: 'ETH/USDT', timeframe: '1h', candles: eth }]);
    due = await compressClosedChunks(db.session);
    await migrateRest(db);
    await pauseJobs(db.session);
  }, 600_000);
  afterAll(() => db?.drop());

  it('drains the whole backlog in one scheduled run and keeps the aggregates', async () => {
    const [{ locks }] = (await db.session.query<{ locks: string }>("select current_setting('max_locks_per_transaction') as locks")) as [{ locks: string }];
    expect(locks).toBe('64');
    expect(due).toBeGreaterThan(600);
    const hourly = await hourlyDigest(db.session);
    await applyTimescaleRetention(db.client, { raw: { '1h': 90 }, aggregates: { '1h': 3650 } });
    const retention = await jobId(db.session, 'ff_retention', 'ml_features_ohlcv');
    await db.session.query('select alter_job($1, scheduled => true)', [retention]);
    const stats = await runJobInBackground(db.session, retention, 300_000);
    expect(stats).toMatchObject({ last_run_status: 'Success', total_failures: 0 });
    expect(await chunks(db.session)).toEqual([]);
    expect(await hourlyDigest(db.session)).toBe(hourly);
  }, 600_000);
});
