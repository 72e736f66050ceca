import { spawnSync } from 'node:child_process';
import pg from 'pg';

/**
 * `npm run bench -- timescale`: the dashboard's and the worker's reads on a real TimescaleDB server
 * (TIMESCALE_TEST_URL) at the issue's scale: the four real Binance 1h series (~1.9 years each) and
 * 90 days of 1m candles for the same symbols. Each read is measured twice, right after the rows were
 * stored (no aggregate materialized yet: what a database sees right after migrating or restoring)
 * and once the aggregates are materialized, with its ratio against the same read on the raw table.
 * Goals: GET /api/quality p95 ≤ 500 ms, a one-year /api/indicators p95 ≤ 200 ms, each of the
 * worker's per-series lookups p95 ≤ 20 ms. Compare runs on a quiet machine: the goals are absolute.
 */
const QUALITY_GOAL_MS = 500;
const INDICATORS_GOAL_MS = 200;
const LOOKUP_GOAL_MS = 20;
const ITERATIONS = 30;
const WARMUP = 3;

if (!process.execArgv.some((arg) => arg.includes('react-server'))) {
  const result = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const serverUrl = process.env.TIMESCALE_TEST_URL;
if (!serverUrl) {
  console.log('timescale: NOT RUN — set TIMESCALE_TEST_URL to a TimescaleDB server (README, "TimescaleDB at scale") to run this benchmark.');
  process.exit(0);
}

const { migrate } = await import('@/lib/db/migrate');
const { withSession } = await import('@/lib/db/sql');
const { getQualityReport } = await import('@/lib/dashboard/quality/report');
const { getIndicatorSeries, readChartRows } = await import('@/lib/dashboard/indicators');
const { lastStoredCandle, readRowsBefore } = await import('@/lib/ingest/series');
const { storeVolumeSeries, volumeSeries } = await import('../tests/helpers/timescale-volume');
const { pauseJobs, runJobInBackground } = await import('../tests/helpers/timescale-server');

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function p95(work: () => Promise<unknown>, iterations = ITERATIONS): Promise<number> {
  for (let i = 0; i < Math.min(WARMUP, iterations); i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  return percentile(samples.sort((a, b) => a - b), 95);
}

const name = `ff_bench_tsdb_${process.pid}`;
const admin = new pg.Client({ connectionString: serverUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(serverUrl);
url.pathname = `/${name}`;
const pool = new pg.Pool({ connectionString: url.toString(), max: 6 });
let ok = true;
const report = (label: string, ms: number, goal: number, baseline?: { label: string; ms: number }) => {
  const fine = ms <= goal;
  ok &&= fine;
  const ratio = baseline ? `   ${baseline.label} p95 ${baseline.ms.toFixed(1).padStart(7)} ms → ${(baseline.ms / ms).toFixed(1)}× faster` : '';
  console.log(`  ${label.padEnd(44)} p95 ${ms.toFixed(1).padStart(7)} ms  ${goal === Infinity ? '    ' : fine ? 'OK  ' : 'OVER'} ${goal === Infinity ? '' : `(≤ ${goal})`}${ratio}`);
};

try {
  const client = await pool.connect();
  const db = client;
  await migrate(db, 'timescale');
  // Only the job under study runs: the refresh policies would materialize the last days meanwhile.
  await pauseJobs(db);
  const started = performance.now();
  const series = volumeSeries(Date.now());
  let rows = 0;
  for (const s of series) rows += await storeVolumeSeries(db, s);
  // As the compression policy leaves it: every chunk closed for a day compressed.
  const [{ job_id: compression }] = (await client.query<{ job_id: number }>(
    "select job_id from timescaledb_information.jobs where proc_name = 'policy_compression' and hypertable_name = 'ml_features_ohlcv'")).rows as [{ job_id: number }];
  await client.query('select alter_job($1, scheduled => true)', [compression]);
  await runJobInBackground(db, compression, 1_200_000);
  await client.query('select alter_job($1, scheduled => false)', [compression]);
  await client.query('analyze');
  client.release();
  console.log(`Stored ${rows} rows (real 1h × 4 symbols, generated 1m × 90 days × 4 symbols) and compressed the closed chunks in ${((performance.now() - started) / 1000).toFixed(0)} s.`);

  const now = Date.now();
  const unmaterialized = new Map<string, number>();
  const measure = async (phase: string, goals = true) => {
    console.log(`\n${phase}`);
    const runs = goals ? ITERATIONS : 3;
    // Without goals: the numbers to compare against once the aggregates are materialized.
    const line = (label: string, ms: number, goal: number, baseline?: { label: string; ms: number }) => {
      if (!goals) unmaterialized.set(label, ms);
      const before = unmaterialized.get(label);
      report(label, ms, goals ? goal : Infinity, baseline ?? (goals && before !== undefined ? { label: 'unmaterialized', ms: before } : undefined));
    };
    line('GET /api/quality (30 days)', await p95(() => getQualityReport(pool, { now, days: 30, embedded: false }), Math.min(runs, 15)), QUALITY_GOAL_MS);
    for (const timeframe of ['1h', '1m'] as const) {
      const request = { symbol: 'BTC/USDT', timeframe, range: '1y' as const };
      const sample = await getIndicatorSeries(pool, request);
      const rawBucket = { ...sample.bucket, source: 'raw' as const, exact: false };
      const raw = await p95(() => readChartRows(pool, { symbol: 'BTC/USDT', timeframe, from: sample.from!, to: sample.to!, bucket: rawBucket }), Math.min(runs, 10));
      line(`GET /api/indicators BTC ${timeframe} 1y (${sample.columns.t.length} × ${sample.bucket.width}, ${sample.table})`,
        await p95(async () => JSON.stringify(await getIndicatorSeries(pool, request)), runs), INDICATORS_GOAL_MS, { label: 'raw', ms: raw });
    }
    for (const timeframe of ['1h', '1m'] as const) {
      const s = { symbol: 'ETH/USDT', timeframe };
      // As the worker runs them: each on a session of its own pool.
      const onSession = <T>(work: (db: pg.PoolClient) => Promise<T>) => () => withSession(pool, (c) => work(c as pg.PoolClient));
      const lookups = [
        ['newest candle', onSession((d) => lastStoredCandle(d, s))],
        ['newest real candle', onSession((d) => lastStoredCandle(d, s, { realOnly: true }))],
      ] as const;
      for (const [label, work] of lookups) line(`worker: ${label} (ETH ${timeframe})`, await p95(work, runs), LOOKUP_GOAL_MS);
      // A bulk read, once per series when a worker starts (feature state rebuilt): shown, not a lookup goal.
      report(`worker start: 1,000 rows of history (ETH ${timeframe})`, await p95(onSession((d) => readRowsBefore(d, s, now, 1000)), runs), Infinity);
    }
  };

  // The state a restore or a bulk load leaves: rows, no aggregate materialized. Informational: it
  // lasts until ff_catch_up_aggregates' next run (every 5 minutes).
  await measure('Right after storing, before any aggregate is materialized (not a goal: until the catch-up job runs)', false);
  const catchUpStarted = performance.now();
  const [{ job_id: catchUp }] = (await pool.query<{ job_id: number }>("select job_id from timescaledb_information.jobs where proc_name = 'ff_catch_up_aggregates'")).rows as [{ job_id: number }];
  await pool.query('select alter_job($1, scheduled => true)', [catchUp]);
  await runJobInBackground(pool, catchUp, 1_200_000);
  console.log(`\nff_catch_up_aggregates (run by the server's scheduler) materialized the aggregates in ${((performance.now() - catchUpStarted) / 1000).toFixed(1)} s.`);
  await pool.query('analyze');
  await measure('Aggregates materialized:');
} finally {
  await pool.end();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
process.exitCode = ok ? 0 : 1;
