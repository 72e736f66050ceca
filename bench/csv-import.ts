import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * `npm run bench -- csv-import`: a big 1m candle CSV (synthetic, standard layout) imported by the
 * streaming importer into a throw-away embedded PostgreSQL: seconds, rows/s, peak RSS, and the time
 * projected for the 200 MB file of the goal (3.27 M rows: ≤ 150 s, ≤ 500 MB RSS). Baseline in the
 * same run: reading the same file the old way (whole file in memory, one parse), its peak RSS.
 * CSV_BENCH_ROWS sets the size (default 400,000 rows, ≈ 25 MB).
 */
const ROWS = Number(process.env.CSV_BENCH_ROWS ?? 400_000);
const GOAL_ROWS = 3_270_000;
const GOAL_SECONDS = 150;
const GOAL_RSS_MB = 500;

async function writeFile(file: string): Promise<void> {
  const out = createWriteStream(file);
  out.write('timestamp,open,high,low,close,volume\n');
  let price = 40_000;
  const t0 = Date.UTC(2023, 0, 1);
  for (let i = 0; i < ROWS; i++) {
    // A deterministic walk: enough movement for every indicator, no jump the validator would quarantine.
    price *= 1 + Math.sin(i * 0.37) * 0.0008 + Math.cos(i * 0.011) * 0.0004;
    const open = price;
    const close = price * (1 + Math.sin(i * 1.3) * 0.0005);
    const high = Math.max(open, close) * 1.0004;
    const low = Math.min(open, close) * 0.9996;
    const line = `${t0 + i * 60_000},${open.toFixed(2)},${high.toFixed(2)},${low.toFixed(2)},${close.toFixed(2)},${(5 + (i % 17)).toFixed(4)}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

interface Measurement {
  seconds: number;
  rssMb: number;
  rows: number;
}

/** Runs one measurement in its own process, so peak RSS is that of the measurement alone. */
function measure(mode: 'stream' | 'whole', file: string): Measurement {
  const result = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, `--${mode}`, file], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1e8,
  });
  if (result.status !== 0) throw new Error(`${mode} measurement failed (exit ${result.status})`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Measurement;
}

async function streamImport(file: string): Promise<Measurement> {
  const { startEmbeddedPostgres } = await import('@/lib/db/embedded');
  const { migrate } = await import('@/lib/db/migrate');
  const { createPool } = await import('@/lib/db/pool');
  const { poolSessions } = await import('@/lib/db/sql');
  const { importCandlesFile } = await import('@/lib/ingest/import');
  const { freePort } = await import('../tests/helpers/net');
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-bench-csv-pg-'));
  chmodSync(dir, 0o755); // postgres runs as OS user `postgres` when we are root
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), password: 'bench-password' });
  const pool = createPool(server.url, { max: 2 });
  try {
    const client = await pool.connect();
    try {
      await migrate(client);
    } finally {
      client.release();
    }
    const started = performance.now();
    const result = await importCandlesFile(poolSessions(pool), { symbol: 'BTC/USDT', timeframe: '1m', file, source: 'bench' });
    return { seconds: (performance.now() - started) / 1000, rssMb: process.resourceUsage().maxRSS / 1024, rows: result.written };
  } finally {
    await pool.end();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function wholeFile(file: string): Promise<Measurement> {
  const { readFile } = await import('node:fs/promises');
  const { parseCandlesCsv } = await import('@/lib/market/csv');
  const started = performance.now();
  const { candles } = parseCandlesCsv(await readFile(file, 'utf8'));
  return { seconds: (performance.now() - started) / 1000, rssMb: process.resourceUsage().maxRSS / 1024, rows: candles.length };
}

const mode = process.argv.find((arg) => arg === '--stream' || arg === '--whole');
if (mode) {
  const file = process.argv.at(-1)!;
  console.log(JSON.stringify(mode === '--stream' ? await streamImport(file) : await wholeFile(file)));
} else {
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-bench-csv-'));
  try {
    const file = path.join(dir, 'candles-1m.csv');
    await writeFile(file);
    const mb = statSync(file).size / 1e6;
    console.log(`File: ${ROWS.toLocaleString('en')} rows of 1m candles, ${mb.toFixed(0)} MB (synthetic, standard layout).\n`);
    const whole = measure('whole', file);
    const stream = measure('stream', file);
    const rate = stream.rows / stream.seconds;
    const projected = GOAL_ROWS / rate;
    console.log(`Streaming import (parse, validate, features, upsert; batches of 10,000): ${stream.seconds.toFixed(1)} s, ${Math.round(rate).toLocaleString('en')} rows/s, peak RSS ${stream.rssMb.toFixed(0)} MB`);
    console.log(`Baseline, whole file in memory (read and parse only, nothing stored): ${whole.seconds.toFixed(1)} s, peak RSS ${whole.rssMb.toFixed(0)} MB`);
    console.log(`  peak RSS whole / streaming: ${(whole.rssMb / stream.rssMb).toFixed(1)}× (the baseline grows with the file; the streaming import does not)`);
    const fine = projected <= GOAL_SECONDS && stream.rssMb <= GOAL_RSS_MB;
    console.log(
      `Projected for the 200 MB file (3.27 M rows) at this rate: ${projected.toFixed(0)} s ${projected <= GOAL_SECONDS ? 'OK' : 'OVER'} (goal ≤ ${GOAL_SECONDS} s); ` +
        `RSS ${stream.rssMb <= GOAL_RSS_MB ? 'OK' : 'OVER'} (goal ≤ ${GOAL_RSS_MB} MB)\n`,
    );
    process.exitCode = fine ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
