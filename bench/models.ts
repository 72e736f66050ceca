/**
 * Model scoring and drift speed (`npm run bench -- models`), on its own embedded PostgreSQL (plain
 * mode) holding 455 days of simulated 1h candles with every feature, written by the product's upsert.
 *
 *   live pass      one new candle scored by 10 active ONNX models (5 sklearn-style linear, 5 torch
 *                  MLPs): the worker's whole pass (active models, one read, 10 runs, one write).
 *                  Goal ≤ 5 ms. Baseline: the same 10 models scored one pass each (a read and a write per model).
 *   year           predictions for a year of 1h candles for one model (predictRange: read, score,
 *                  write 8,760 rows). Goal ≤ 2 s. Baseline: reading the same year of feature rows alone.
 *   drift          drift of all 33 OHLCV features, a year of training window against 90 days
 *                  (driftReport). Goal ≤ 1 s. Baseline: reading both windows' rows alone.
 */
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';
import { createPrisma } from '@/lib/db/prisma';
import { computeOhlcvFeatures, FEATURE_COLUMNS, FEATURE_VERSION } from '@/lib/features';
import { upsertOhlcvFeatures } from '@/lib/ingest/upsert';
import { simulateCandles } from '@/lib/market/simulate';
import { changeStatus, driftReport, parseRegistration, predictRange, registerOnnxModel, scoreNewCandles } from '@/lib/models';
import { readFeatureRows } from '@/lib/models/dataset';
import { fitMajority } from '@/lib/models/baselines';
import { registerModel } from '@/lib/models/registry';

const H = 3_600_000;
const DAY = 24 * H;
const END = Date.UTC(2024, 0, 1);
const START = END - 455 * DAY;
const SYMBOL = 'BTC/USDT';
const fixtures = path.join(process.cwd(), 'tests/fixtures/models');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(rounds: number, work: (round: number) => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const started = performance.now();
    await work(i);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

function report(name: string, ms: number, baselineName: string, baselineMs: number, goalMs: number) {
  const verdict = ms <= goalMs ? 'meets' : 'MISSES';
  console.log(`${name.padEnd(44)} ${ms.toFixed(2).padStart(9)} ms   ${(ms / baselineMs).toFixed(2)}× ${baselineName} (${baselineMs.toFixed(2)} ms)   goal ≤ ${goalMs} ms: ${verdict}`);
}

async function seed(pool: pg.Pool, hours: number) {
  const anchor = { timestamp: START - H, open: 40_000, high: 40_000, low: 40_000, close: 40_000, volume: 100 };
  const candles = simulateCandles([anchor], Array.from({ length: hours }, (_, i) => START + i * H), { timeframe: '1h', seed: 7 });
  const features = computeOhlcvFeatures(candles);
  const rows = candles.map((candle, i) => ({ candle, features: features[i], source: 'binance' }));
  const client = await pool.connect();
  try {
    await upsertOhlcvFeatures(client, { symbol: SYMBOL, timeframe: '1h' }, rows, { featureVersion: FEATURE_VERSION });
  } finally {
    client.release();
  }
  return candles;
}

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-bench-models-'));
  chmodSync(dir, 0o755);
  const { freePort } = await import('../tests/helpers/net');
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), password: 'bench-password' });
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  const prisma = createPrisma(server.url);
  const deps = { pool, prisma };
  try {
    const client = await pool.connect();
    await migrate(client);
    client.release();
    const hours = 455 * 24;
    await seed(pool, hours);
    console.log(`seeded ${hours} candles with ${FEATURE_COLUMNS.length} features`);

    // 10 active models: 5 sklearn-style logistic regressions and 5 torch MLPs (each its own name).
    for (let i = 0; i < 10; i++) {
      const file = i % 2 ? 'btc-mlp.onnx' : 'btc-logistic.onnx';
      const registration = parseRegistration({ name: `bench-${i}`, version: '1', labelType: 'price_direction', symbols: [SYMBOL], trainingStart: new Date(START).toISOString(), trainingEnd: new Date(START + 365 * DAY).toISOString() });
      await registerOnnxModel(deps, registration, new Uint8Array(readFileSync(path.join(fixtures, file))));
      await changeStatus(prisma, `bench-${i}@1`, 'activate');
    }
    // Warm: load sessions, fill everything before the measured candles.
    await scoreNewCandles(deps, { now: new Date(END - 20 * H), lookbackMs: 455 * DAY, trackedSymbols: [SYMBOL] });

    // Live pass: each round one more candle is new (the previous ones are already scored).
    const live = await time(10, (round) => scoreNewCandles(deps, { now: new Date(END - (19 - round) * H + 1), lookbackMs: H, trackedSymbols: [SYMBOL] }));
    await pool.query("delete from ml_predictions where timestamp >= $1", [new Date(END - 10 * H)]);
    const ids = Array.from({ length: 10 }, (_, i) => `bench-${i}@1`);
    await prisma.modelMetadata.updateMany({ where: { modelId: { in: ids } }, data: { status: 'candidate' } });
    const oneByOne = await time(10, async (round) => {
      for (const id of ids) {
        await prisma.modelMetadata.updateMany({ where: { modelId: id }, data: { status: 'active' } });
        await scoreNewCandles(deps, { now: new Date(END - (9 - round) * H + 1), lookbackMs: H, trackedSymbols: [SYMBOL] });
        await prisma.modelMetadata.updateMany({ where: { modelId: id }, data: { status: 'candidate' } });
      }
    });
    report('live pass: 1 new candle, 10 active models', live, 'one model at a time', oneByOne, 5);

    // A year of predictions for one model.
    const year = { from: new Date(END - 365 * DAY), to: new Date(END), symbols: [SYMBOL] };
    const predictYear = await time(3, async () => {
      await pool.query("delete from ml_predictions where model_id = 'bench-0@1'");
      await predictRange(deps, 'bench-0@1', year);
    });
    const features = (await prisma.modelMetadata.findFirst({ where: { modelId: 'bench-0@1' } }))!.featureSet as string[];
    const readYear = await time(3, () => readFeatureRows(pool, { symbol: SYMBOL, timeframe: '1h', features, from: year.from, to: year.to }));
    report(`year: ${365 * 24} predictions, one model`, predictYear, 'reading the year', readYear, 2000);

    // Drift of all 33 features: a year of training window against the last 90 days.
    await registerModel(prisma, parseRegistration({ name: 'bench-drift', version: '1', labelType: 'price_direction', symbols: [SYMBOL], features: [...FEATURE_COLUMNS], trainingStart: new Date(START).toISOString(), trainingEnd: new Date(START + 365 * DAY).toISOString() }),
      { kind: 'majority', parameters: fitMajority([0], 3).parameters, features: [...FEATURE_COLUMNS], classNames: ['up', 'down', 'flat'] });
    const drift = await time(5, () => driftReport(deps, 'bench-drift@1', { symbol: SYMBOL, now: new Date(END), recentDays: 90 }));
    const readBoth = await time(5, () => Promise.all([
      readFeatureRows(pool, { symbol: SYMBOL, timeframe: '1h', features: [...FEATURE_COLUMNS], from: new Date(START), to: new Date(START + 365 * DAY) }),
      readFeatureRows(pool, { symbol: SYMBOL, timeframe: '1h', features: [...FEATURE_COLUMNS], from: new Date(END - 90 * DAY), to: new Date(END) }),
    ]));
    report(`drift: ${FEATURE_COLUMNS.length} features, 365 d against 90 d`, drift, 'reading both windows', readBoth, 1000);
  } finally {
    await prisma.$disconnect();
    await pool.end();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
