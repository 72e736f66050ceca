import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * `npm run bench -- chart-load`: 50 concurrent dashboards on /api/indicators, one month of BTC/USDT
 * 1h, against the product as `npm start` runs it (embedded PostgreSQL, real Binance candles when the
 * shared folder is there). Goal: p95 ≤ 200 ms. Baseline in the same run: the same clients each
 * asking for a different window (every request a cache miss: read, serialise, compress), and the
 * payload against the full-precision JSON of the same read.
 */
// The read model is a server-only module: run under the react-server condition, as Next.js does.
if (!process.execArgv.some((arg) => arg.includes('react-server'))) {
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', import.meta.filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const CLIENTS = 50;
const SECONDS = 15;
const GOAL_MS = 200;
const END = '2022-06-12T00:00:00Z';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function load(url: (client: number, i: number) => string): Promise<{ p50: number; p95: number; requests: number; errors: number; bytes: number }> {
  const samples: number[] = [];
  let errors = 0;
  let bytes = 0;
  const deadline = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, async (_, client) => {
    for (let i = 0; Date.now() < deadline; i++) {
      const started = performance.now();
      const response = await fetch(url(client, i), { headers: { 'accept-encoding': 'br, gzip' } }).catch(() => null);
      const body = response ? await response.arrayBuffer() : new ArrayBuffer(0);
      samples.push(performance.now() - started);
      if (!response || response.status !== 200) errors += 1;
      bytes = Math.max(bytes, Number(response?.headers.get('content-length') ?? body.byteLength));
    }
  }));
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p95: percentile(samples, 95), requests: samples.length, errors, bytes };
}

/** Bytes as sent (fetch decodes bodies, so the raw socket is read instead). */
async function wireSize(url: string): Promise<{ bytes: number; encoding: string }> {
  const { get } = await import('node:http');
  return new Promise((resolve, reject) => {
    get(url, { headers: { 'accept-encoding': 'gzip, br' } }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ bytes, encoding: String(response.headers['content-encoding'] ?? 'identity') }));
    }).on('error', reject);
  });
}

async function main(): Promise<boolean> {
  const { freePort } = await import('../tests/helpers/net');
  const { seedCandles } = await import('../e2e/seed');
  const { poolSessions } = await import('@/lib/db/sql');
  const root = mkdtempSync(path.join(tmpdir(), 'ff-bench-load-'));
  chmodSync(root, 0o755);
  const [port, pgPort] = [await freePort(), await freePort()];
  const product = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), EMBEDDED_PG_DIR: path.join(root, 'pg'), DATABASE_URL: '', RUN_WORKER: 'false', ADMIN_TOKEN: 'bench-admin-token-0123' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      product.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('web server listening') && resolve());
      product.on('exit', (code) => reject(new Error(`npm start exited with ${code}`)));
    });
    const pool = new pg.Pool({ connectionString: `postgresql://postgres:feature-foundation-local@127.0.0.1:${pgPort}/feature_foundation`, max: 4 });
    const { real, candles } = await seedCandles(poolSessions(pool), () => {});
    await pool.query('analyze');
    const { getIndicatorSeries } = await import('@/lib/dashboard/indicators');
    const full = JSON.stringify(await getIndicatorSeries(pool, { symbol: 'BTC/USDT', timeframe: '1h', range: '30d', end: Date.parse(END), points: 1_000 }));
    await pool.end();
    console.log(`Seeded ${candles} ${real ? 'real Binance' : 'SYNTHETIC'} hourly candles; ${CLIENTS} clients × ${SECONDS} s each run.\n`);

    const base = `http://127.0.0.1:${port}/api/indicators?symbol=BTC/USDT&timeframe=1h&range=30d&points=1000`;
    const plain = await fetch(`${base}&end=${END}`, { headers: { 'accept-encoding': 'identity' } });
    const compactBytes = (await plain.arrayBuffer()).byteLength;
    const wire = await wireSize(`${base}&end=${END}`);
    const same = await load(() => `${base}&end=${END}`);
    // A different hour per request: nothing is shared, every request reads, serialises and compresses.
    const misses = await load((client, i) => `${base}&end=${new Date(Date.parse(END) - (client * 1000 + i) * 3_600_000).toISOString()}`);
    const fine = same.p95 <= GOAL_MS && same.errors === 0;
    console.log(`Payload, one month of 1h (${JSON.parse(full).columns.t.length} points):`);
    console.log(`  full-precision JSON ${(full.length / 1024).toFixed(0)} KB → compact ${(compactBytes / 1024).toFixed(0)} KB (${(full.length / compactBytes).toFixed(1)}×) → on the wire ${(wire.bytes / 1024).toFixed(0)} KB ${wire.encoding} (${(full.length / wire.bytes).toFixed(0)}× smaller than the full-precision JSON)`);
    console.log(`${CLIENTS} dashboards on the same month:       p50 ${same.p50.toFixed(0).padStart(5)} ms   p95 ${same.p95.toFixed(0).padStart(5)} ms   ${same.requests} requests, ${same.errors} errors   ${fine ? 'OK' : 'OVER'} (goal p95 ≤ ${GOAL_MS} ms)`);
    console.log(`${CLIENTS} dashboards, every request a miss:    p50 ${misses.p50.toFixed(0).padStart(5)} ms   p95 ${misses.p95.toFixed(0).padStart(5)} ms   ${misses.requests} requests, ${misses.errors} errors (baseline)`);
    console.log(`  baseline / shared at p95: ${(misses.p95 / same.p95).toFixed(1)}×\n`);
    return fine;
  } finally {
    product.kill('SIGTERM');
    await new Promise((resolve) => product.once('exit', resolve));
    rmSync(root, { recursive: true, force: true });
  }
}

process.exitCode = (await main()) ? 0 : 1;
