/**
 * Training-set export: time and peak memory of the streamed export (`npx tsx bench/export.ts`).
 * Starts its own embedded PostgreSQL in a temporary folder, stores 4 hourly series of simulated
 * candles with features (2 years each by default), their labels and an hourly sentiment row per
 * symbol (a tenth with a simulated news input), then exports them all with two label specs, each
 * format in a fresh child process so its peak RSS (getrusage maxRSS) is the export's alone.
 *
 *   npx tsx bench/export.ts [--days 730] [--window CANDLES]   (default: the export's own window)
 *
 * Baseline, measured in the same run: a child process that only reads the same candle rows
 * (`select *` over the range, no joins, no encoding). Ratios are export / baseline.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';
import { computeOhlcvFeatures } from '@/lib/features';
import { freePort } from '../tests/helpers/net';
import { poolSessions } from '@/lib/db/sql';
import { upsertOhlcvFeatures } from '@/lib/ingest/upsert';
import { generateLabels } from '@/lib/labels/generate';
import { simulateCandles } from '@/lib/market/simulate';

const { values: args } = parseArgs({
  options: {
    days: { type: 'string', default: '730' },
    window: { type: 'string' },
    child: { type: 'string' },
    url: { type: 'string' },
    out: { type: 'string' },
  },
});
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT', 'ADA/USDT'];
const H = 3_600_000;
const START = Date.UTC(2022, 0, 1);
const END = START + Number(args.days) * 24 * H;

/** In the child: one export (or the baseline read) against `--url`, then its peak memory. */
async function child(kind: string, url: string, out: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const started = performance.now();
  let rows = 0;
  if (kind === 'baseline') {
    const { rows: read } = await pool.query(`select * from ml_features_ohlcv where timestamp >= $1 and timestamp < $2 order by timestamp, symbol`, [new Date(START).toISOString(), new Date(END).toISOString()]);
    rows = read.length;
  } else {
    const { exportTrainingSet, parseExportRequest } = await import('@/lib/export');
    const request = parseExportRequest({
      symbols: SYMBOLS, timeframes: ['1h'], from: new Date(START).toISOString(), to: new Date(END).toISOString(),
      labels: ['price_direction', 'market_regime'], format: kind as 'csv' | 'parquet',
    });
    rows = (await exportTrainingSet(pool, request, out, { windowCandles: args.window ? Number(args.window) : undefined })).metadata.rows.exported;
  }
  const seconds = (performance.now() - started) / 1000;
  await pool.end();
  console.log(JSON.stringify({ rows, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
}

async function seed(url: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const client = await pool.connect();
  try {
    const db = client;
    await migrate(db);
    const times = Array.from({ length: (END - START) / H }, (_, i) => START + i * H);
    for (const [s, symbol] of SYMBOLS.entries()) {
      const first = { timestamp: START - H, open: 100 * (s + 1), high: 100 * (s + 1), low: 100 * (s + 1), close: 100 * (s + 1), volume: 1000 };
      const candles = simulateCandles([first], times, { timeframe: '1h', seed: s + 1 });
      const features = computeOhlcvFeatures(candles);
      // Stored as real candles: the benchmark measures the export, not the simulated-row rules.
      await upsertOhlcvFeatures(db, { symbol, timeframe: '1h' }, candles.map((candle, i) => ({ candle, features: features[i]!, source: 'binance' })));
    }
    await generateLabels({ sessions: poolSessions(pool), now: () => END + 24 * H }, { symbols: SYMBOLS, types: ['price_direction', 'market_regime'], from: START });
    await client.query(
      `insert into ml_features_sentiment (timestamp, symbol, fear_greed_index, news_sentiment_score, whale_sentiment_proxy, real_inputs, simulated_inputs, is_simulated, feature_version)
       select t, s, 50 + 20 * sin(extract(epoch from t) / 86400), 0.1, 0.2,
         case when n % 10 = 0 then '{fear_greed,candles}'::text[] else '{fear_greed,news,candles}'::text[] end,
         case when n % 10 = 0 then '{news}'::text[] else '{}'::text[] end, n % 10 = 0, 'sentiment-v1'
       from unnest($1::text[]) as s, generate_series($2::timestamptz, $3::timestamptz - interval '1 hour', interval '1 hour') with ordinality as g(t, n)`,
      [SYMBOLS, new Date(START).toISOString(), new Date(END).toISOString()],
    );
  } finally {
    client.release();
    await pool.end();
  }
}

function run(kind: string, url: string, out: string): { rows: number; seconds: number; maxRssMb: number } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'bench/export.ts', '--child', kind, '--url', url, '--out', out, '--days', String(args.days), ...(args.window ? ['--window', args.window] : [])], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${kind} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-bench-export-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), password: 'bench' });
  try {
    const t0 = performance.now();
    await seed(server.url);
    console.log(`Export: ${SYMBOLS.length} hourly series × ${args.days} days, 2 label specs, window ${args.window ?? 'default'}; seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (embedded PostgreSQL, plain mode)`);
    const baseline = run('baseline', server.url, '');
    console.log(`  baseline read   ${baseline.rows.toLocaleString('en-US')} rows  ${baseline.seconds.toFixed(2)} s  max RSS ${baseline.maxRssMb.toFixed(0)} MB`);
    for (const format of ['csv', 'parquet']) {
      const out = path.join(dir, `train.${format}`);
      const r = run(format, server.url, out);
      console.log(
        `  export ${format.padEnd(8)} ${r.rows.toLocaleString('en-US')} rows  ${r.seconds.toFixed(2)} s (${(r.seconds / baseline.seconds).toFixed(2)}× baseline)  ` +
          `max RSS ${r.maxRssMb.toFixed(0)} MB (${(r.maxRssMb / baseline.maxRssMb).toFixed(2)}× baseline, goal ≤ 300 MB)  file ${(statSync(out).size / 1e6).toFixed(1)} MB`,
      );
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (args.child) await child(args.child, args.url!, args.out ?? '');
else await main();
