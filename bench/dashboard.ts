import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * `npx tsx bench/dashboard.ts`: the dashboard's two budgets.
 * 1. The chart API's read of a year of hourly candles for one symbol, from the hourly rollup:
 *    p95 (goal ≤ 50 ms), and its ratio against the same buckets computed from the raw table.
 *    On a throw-away embedded PostgreSQL holding the four real Binance series (synthetic without them).
 * 2. Each page's JavaScript, gzipped, from the production build in .next (goal ≤ 300 KB);
 *    `--build` rebuilds it first (it is built when missing).
 */
const ITERATIONS = 200;
const WARMUP = 20;
const API_GOAL_MS = 50;
const JS_GOAL_KB = 300;

// The read models are server-only modules: run under the react-server condition, as Next.js does.
if (!process.execArgv.some((arg) => arg.includes('react-server'))) {
  const result = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function time(work: () => Promise<unknown>): Promise<{ p50: number; p95: number; mean: number }> {
  for (let i = 0; i < WARMUP; i++) await work();
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now();
    await work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
}

async function chartApiBench(): Promise<boolean> {
  const { startEmbeddedPostgres } = await import('@/lib/db/embedded');
  const { migrate } = await import('@/lib/db/migrate');
  const { poolSessions, withSession } = await import('@/lib/db/sql');
  const { createPool } = await import('@/lib/db/pool');
  const { getIndicatorSeries, readChartRows } = await import('@/lib/dashboard/indicators');
  const { chooseBucket, pointBudget } = await import('@/lib/dashboard/buckets');
  const { RANGES } = await import('@/lib/market/range');
  const { seedCandles } = await import('../e2e/seed');
  const { freePort } = await import('../tests/helpers/net');

  const dir = mkdtempSync(path.join(tmpdir(), 'ff-bench-'));
  chmodSync(dir, 0o755); // postgres runs as OS user `postgres` when we are root
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), password: 'bench-password' });
  const pool = createPool(server.url, { max: 4 });
  try {
    await withSession(pool, (client) => migrate(client));
    const started = Date.now();
    const { real, candles } = await seedCandles(poolSessions(pool), (line) => console.log(line));
    await pool.query('analyze');
    console.log(`Stored ${candles} ${real ? 'real Binance' : 'SYNTHETIC'} hourly candles in ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);

    // As the indicators page asks on a laptop (~1,140 px of plot), and at the API's default budget.
    let ok = true;
    for (const [who, points] of [['the page on a laptop', pointBudget(1_140)], ['the API default', 1_000]] as const) {
      const request = { symbol: 'BTC/USDT', timeframe: '1h', range: '1y' as const, points };
      const sample = await getIndicatorSeries(pool, request);
      const bucket = chooseBucket('1h', RANGES['1y'], points);
      const window = { symbol: request.symbol, timeframe: request.timeframe, from: sample.from!, to: sample.to!, bucket };
      const rawBucket = { ...bucket, source: 'raw' as const, exact: false };
      const rawRows = (await readChartRows(pool, { ...window, bucket: rawBucket })).rows;
      if (rawRows.length !== sample.columns.t.length) throw new Error(`raw and rollup disagree: ${rawRows.length} vs ${sample.columns.t.length} points`);

      // What the route does: the read model, then the JSON it sends.
      const rollup = await time(async () => JSON.stringify(await getIndicatorSeries(pool, request)));
      const raw = await time(async () => JSON.stringify((await readChartRows(pool, { ...window, bucket: rawBucket })).rows));
      const fine = rollup.p95 <= API_GOAL_MS;
      ok &&= fine;
      console.log(`Chart API read, BTC/USDT 1h over one year, as ${who} asks (${points} points) → ${sample.columns.t.length} × ${bucket.width} buckets from the ${sample.table} rollup`);
      console.log(`  rollup   p50 ${rollup.p50.toFixed(1).padStart(5)} ms   p95 ${rollup.p95.toFixed(1).padStart(5)} ms   ${fine ? 'OK' : 'OVER'} (goal ≤ ${API_GOAL_MS} ms)`);
      console.log(`  raw      p50 ${raw.p50.toFixed(1).padStart(5)} ms   p95 ${raw.p95.toFixed(1).padStart(5)} ms   (the same buckets aggregated from ml_features_ohlcv)`);
      console.log(`  raw / rollup at p95: ${(raw.p95 / rollup.p95).toFixed(1)}×   (${ITERATIONS} runs after ${WARMUP} warm-up)\n`);
    }
    return ok;
  } finally {
    await pool.end();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ClientManifest {
  entryJSFiles?: Record<string, string[]>;
}

/** First-load JavaScript per page: the shared runtime plus every chunk its client-reference manifest names. */
function pageSizes(): boolean {
  const next = '.next';
  if (process.argv.includes('--build') || !existsSync(path.join(next, 'BUILD_ID'))) {
    console.log('Building the web app (next build)…');
    const build = spawnSync(process.execPath, ['node_modules/next/dist/bin/next', 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
    if (build.status !== 0) throw new Error('next build failed');
  }
  const built = statSync(path.join(next, 'BUILD_ID')).mtime;
  const buildManifest = JSON.parse(readFileSync(path.join(next, 'build-manifest.json'), 'utf8')) as { rootMainFiles: string[] };
  const gzipped = new Map<string, number>();
  const size = (file: string) => {
    if (!gzipped.has(file)) gzipped.set(file, gzipSync(readFileSync(path.join(next, file))).length);
    return gzipped.get(file)!;
  };
  console.log(`Page JavaScript, gzipped (production build of ${built.toISOString()}):`);
  let ok = true;
  for (const route of ['/', '/indicators', '/sentiment', '/labels', '/quality']) {
    const name = route === '/' ? 'page' : `${route.slice(1)}/page`;
    const file = path.join(next, 'server', 'app', `${name}_client-reference-manifest.js`);
    const sandbox = { globalThis: {} as { __RSC_MANIFEST?: Record<string, ClientManifest> } };
    new Function('globalThis', readFileSync(file, 'utf8'))(sandbox.globalThis);
    const manifest = Object.values(sandbox.globalThis.__RSC_MANIFEST ?? {})[0] ?? {};
    const files = new Set([...buildManifest.rootMainFiles, ...Object.values(manifest.entryJSFiles ?? {}).flat()]);
    const total = [...files].reduce((sum, f) => sum + size(f), 0) / 1024;
    ok &&= total <= JS_GOAL_KB;
    console.log(`  ${route.padEnd(12)} ${total.toFixed(1).padStart(6)} KB in ${files.size} chunks   ${total <= JS_GOAL_KB ? 'OK' : 'OVER'} (goal ≤ ${JS_GOAL_KB} KB)`);
  }
  return ok;
}

const apiOk = await chartApiBench();
const jsOk = pageSizes();
process.exitCode = apiOk && jsOk ? 0 : 1;
