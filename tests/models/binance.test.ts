import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '@/lib/db/prisma';
import { importCandlesFile } from '@/lib/ingest/import';
import { poolSessions } from '@/lib/db/sql';
import { generateLabels } from '@/lib/labels';
import { driftReport, evaluateModel, parseRegistration, predictRange, registerOnnxModel, trainBaseline } from '@/lib/models';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { binanceDir, hasBinanceData } from '../helpers/shared';

/**
 * The loop on the real Binance BTC candles: features computed by the product, exported, fitted in
 * Python (scripts/models/train_on_export.py: scikit-learn and torch, trained up to 2021-12-31),
 * registered here, scored for 2022, and the stored probabilities compared with Python onnxruntime's.
 */
const present = hasBinanceData('models on real candles');
const dir = path.join(process.cwd(), 'tests/fixtures/models');
const reference = JSON.parse(readFileSync(path.join(dir, 'btc-reference.json'), 'utf8')) as {
  features: string[]; classes: string[]; timestamps: string[]; models: Record<string, { probabilities: number[][]; python_test_accuracy: number }>;
};
const Y2022 = { from: new Date('2022-01-01T00:00:00Z'), to: new Date('2022-06-13T01:00:00Z') };

describe.runIf(present)('models on the real BTC/USDT candles', () => {
  let db: MigratedDatabase;
  let prisma: PrismaClient;
  let deps: { pool: MigratedDatabase['pool']; prisma: PrismaClient };

  beforeAll(async () => {
    db = await createMigratedDatabase();
    prisma = createPrisma(db.url);
    deps = { pool: db.pool, prisma };
    const sessions = poolSessions(db.pool);
    await importCandlesFile(sessions, { symbol: 'BTC/USDT', timeframe: '1h', file: path.join(binanceDir, 'BTCUSDT_1h.csv'), source: 'binance' });
    await generateLabels({ sessions }, { symbols: ['BTC/USDT'], types: ['price_direction'], from: Date.UTC(2020, 7, 1), to: Date.UTC(2022, 6, 1) });
    for (const [name, file] of [['btc-logistic', 'btc-logistic.onnx'], ['btc-mlp', 'btc-mlp.onnx']]) {
      const registration = parseRegistration({ name, version: '2021', labelType: 'price_direction', symbols: ['BTC/USDT'], trainingStart: '2020-08-01', trainingEnd: '2021-12-31T23:00:00Z' });
      await registerOnnxModel(deps, registration, new Uint8Array(readFileSync(path.join(dir, file))));
    }
  }, 600_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    await db?.drop();
  });

  it.each(['btc-logistic', 'btc-mlp'])('%s: the predictions stored for 2022 are what Python onnxruntime gave for the exported rows', async (name) => {
    const [summary] = await predictRange(deps, `${name}@2021`, { ...Y2022, symbols: [] });
    expect(summary.skipped).toBe(0);
    expect(summary.written).toBe(summary.candles);
    const { rows } = await db.pool.query<{ ts: string; p: Record<string, number> }>(
      `select to_char(timestamp at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS') || 'Z' as ts, class_probabilities as p
         from ml_predictions where model_id = $1 and timestamp = any($2::timestamptz[])`,
      [`${name}@2021`, reference.timestamps],
    );
    const byTime = new Map(rows.map((r) => [r.ts, r.p]));
    const expected = reference.models[`${name}.onnx`].probabilities;
    reference.timestamps.forEach((ts, i) => {
      const stored = byTime.get(ts.replace(/\.\d+Z$/, 'Z'));
      expect(stored, ts).toBeDefined();
      reference.classes.forEach((c, k) => expect(stored![c]).toBeCloseTo(expected[i][k], 6));
    });
  }, 120_000);

  it('evaluates the sklearn-style model walk-forward on 2022 only, beside the majority, and the baselines beside it', async () => {
    const result = await evaluateModel(deps, 'btc-logistic@2021', { symbol: 'BTC/USDT', from: new Date('2021-07-01T00:00:00Z'), to: Y2022.to, folds: 4 });
    expect(result.folds.every((f) => f.testFrom >= '2022-01-01')).toBe(true);
    expect(result.overall.model.rows).toBe(result.overall.baseline.rows);
    // Python measured the same model on the same (2022) rows; the walk-forward sees most of them.
    expect(Math.abs(result.overall.model.accuracy - reference.models['btc-logistic.onnx'].python_test_accuracy)).toBeLessThan(0.03);

    const registration = parseRegistration({ name: 'btc-baseline', version: '1', labelType: 'price_direction', symbols: ['BTC/USDT'], features: reference.features });
    const baseline = await trainBaseline(deps, { kind: 'logistic_regression', registration, symbol: 'BTC/USDT', from: new Date('2021-01-01T00:00:00Z'), to: new Date('2022-01-01T00:00:00Z') });
    const evaluated = await evaluateModel(deps, baseline.modelId, { symbol: 'BTC/USDT', from: new Date('2021-07-01T00:00:00Z'), to: Y2022.to, folds: 4 });
    expect(evaluated.overall.model.logLoss).toBeLessThan(1.2);
  }, 300_000);

  it('shows the drift of 2022 against the 2020–2021 training window, worst first', async () => {
    const report = await driftReport(deps, 'btc-mlp@2021', { symbol: 'BTC/USDT', now: Y2022.to, recentDays: 90 });
    expect(report.features).toHaveLength(reference.features.length);
    expect(report.features.every((f) => f.status !== 'too_small')).toBe(true);
    const severity = { red: 3, amber: 2, ok: 1, too_small: 0 };
    report.features.slice(1).forEach((f, i) => expect(severity[f.status]).toBeLessThanOrEqual(severity[report.features[i].status]));
    expect(report.labels!.status).not.toBe('too_small');
  }, 60_000);
});
