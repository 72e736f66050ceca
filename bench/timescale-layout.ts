import pg from 'pg';
import { loadMigrations, migrate } from '@/lib/db/migrate';
import { storeVolumeSeries, volumeSeries } from '../tests/helpers/timescale-volume';

/**
 * `npm run bench -- timescale-layout`: the measurements behind migration 0006's chunk intervals,
 * segment-by and order-by. On the real TimescaleDB server (TIMESCALE_TEST_URL): the four real 1h
 * Binance series (~1.9 years) and 90 days of 1m candles for the same four symbols are loaded once,
 * then copied into the feature hypertable under each candidate layout, compressed, and measured:
 * chunk count, rows per compressed segment, size before/after, "poor compression" notices, an
 * hourly group-by over a year and the newest-candle lookup.
 */
const serverUrl = process.env.TIMESCALE_TEST_URL;
if (!serverUrl) {
  console.log('timescale-layout: NOT RUN — set TIMESCALE_TEST_URL to a TimescaleDB server (see README, "TimescaleDB at scale").');
  process.exit(0);
}

interface Layout {
  name: string;
  chunk: string;
  segmentBy: string;
  orderBy: string;
}

const LAYOUTS: Layout[] = [
  { name: 'before 0006', chunk: '1 day', segmentBy: 'symbol, timeframe', orderBy: 'timestamp desc' },
  { name: '7-day chunks', chunk: '7 days', segmentBy: 'symbol, timeframe', orderBy: 'timestamp desc' },
  { name: '30-day chunks', chunk: '30 days', segmentBy: 'symbol, timeframe', orderBy: 'timestamp desc' },
  { name: '30-day, ascending', chunk: '30 days', segmentBy: 'symbol, timeframe', orderBy: 'timestamp' },
  { name: '90-day chunks', chunk: '90 days', segmentBy: 'symbol, timeframe', orderBy: 'timestamp desc' },
];

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

const name = `ff_bench_layout_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const client = new pg.Client({ connectionString: url.toString() });
await client.connect();
try {
  const db = client;
  // Up to the layout under study, without the background jobs (they would compress while we measure).
  await migrate(db, 'timescale', loadMigrations().filter((m) => m.id <= '0004_runs'));
  await client.query('select alter_job(job_id, scheduled => false) from timescaledb_information.jobs where job_id >= 1000');
  const started = performance.now();
  let rows = 0;
  await client.query('create table staging (like ml_features_ohlcv including all)');
  await client.query(`alter table ml_features_ohlcv rename to ml_features_ohlcv_kept; alter table staging rename to ml_features_ohlcv`);
  for (const series of volumeSeries(Date.now())) rows += await storeVolumeSeries(db, series);
  await client.query('alter table ml_features_ohlcv rename to staging; alter table ml_features_ohlcv_kept rename to ml_features_ohlcv');
  console.log(`Loaded ${rows} rows (4 symbols: real 1h, generated 90 days of 1m) in ${((performance.now() - started) / 1000).toFixed(0)} s.\n`);

  const notices: string[] = [];
  client.on('notice', (n) => notices.push(n.message ?? ''));
  console.log('layout              chunks      rows/segment  before MB  after MB  ratio  poor-notices  hourly 1y ms  newest ms');
  // `--only 30` measures the layouts whose name contains 30 (the full table takes a few minutes).
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1]! : '';
  for (const layout of LAYOUTS.filter((l) => l.name.includes(only))) {
    notices.length = 0;
    // A table of its own per layout (the caggs do not matter here), dropped in batches of chunks
    // afterwards: dropping hundreds of compressed chunks at once runs out of lock slots.
    await client.query('create table probe (like staging including all)');
    await client.query(`select create_hypertable('probe', 'timestamp', chunk_time_interval => interval '${layout.chunk}')`);
    await client.query(`alter table probe set (timescaledb.compress, timescaledb.compress_segmentby = '${layout.segmentBy}', timescaledb.compress_orderby = '${layout.orderBy}')`);
    await client.query('insert into probe select * from staging');
    await client.query(`select compress_chunk(c, if_not_compressed => true) from show_chunks('probe') c`);
    await client.query('analyze probe');
    const { rows: [stats] } = await client.query<{ chunks: number; before: number; after: number }>(`
      select (select count(*) from show_chunks('probe'))::int as chunks,
        sum(before_compression_total_bytes)::float8 as before, sum(after_compression_total_bytes)::float8 as after
      from chunk_compression_stats('probe')`);
    // A segment is one (chunk, symbol, timeframe): tableoid names the chunk a row is stored in.
    const { rows: segments } = await client.query<{ timeframe: string; per: number }>(
      'select timeframe, count(*)::float8 / count(distinct (tableoid, symbol)) as per from probe group by timeframe order by timeframe');
    const perSegment = segments.map((s) => `${s.timeframe} ${Math.round(s.per)}`).join(', ');
    const [, hourly] = await timed(() => client.query(`select time_bucket('1 day', timestamp), symbol, max(high_price), sum(volume) from probe
      where timeframe = '1h' and timestamp > now() - interval '365 days' group by 1, 2`));
    const lookups: number[] = [];
    for (let i = 0; i < 20; i++) {
      lookups.push((await timed(() => client.query(`select max(timestamp) from probe where symbol = 'BTC/USDT' and timeframe = '1m'`)))[1]);
    }
    lookups.sort((a, b) => a - b);
    const poor = notices.filter((n) => /poor compression/i.test(n)).length;
    console.log(`${layout.name.padEnd(19)} ${String(stats!.chunks).padStart(6)}  ${perSegment.padStart(16)}  ${(stats!.before / 2 ** 20).toFixed(1).padStart(9)}  ${(stats!.after / 2 ** 20).toFixed(1).padStart(8)}  ${(stats!.before / stats!.after).toFixed(2).padStart(5)}  ${String(poor).padStart(12)}  ${hourly.toFixed(0).padStart(12)}  ${lookups[18]!.toFixed(1).padStart(9)}`);
    for (;;) {
      const { rows: due } = await client.query<{ end: Date }>(`select range_end as end from timescaledb_information.chunks where hypertable_name = 'probe' order by range_end limit 1 offset 20`);
      if (!due.length) break;
      await client.query(`select drop_chunks('probe', older_than => $1::timestamptz)`, [due[0]!.end]);
    }
    await client.query('drop table probe');
  }
} finally {
  await client.end();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
