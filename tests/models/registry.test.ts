import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '@/lib/db/prisma';
import {
  changeStatus, driftReport, evaluateModel, getModel, listModels, parseRegistration, predictRange, realizedPerformance, registerOnnxModel,
  scoreNewCandles, trainBaseline, ModelContractError, ModelStateError,
} from '@/lib/models';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { CLASSES, FIXTURE_FEATURES, HOUR, seedSeries } from './seed';

const fixture = (name: string) => new Uint8Array(readFileSync(path.join(process.cwd(), 'tests/fixtures/models', name)));
const START = Date.UTC(2022, 0, 1);
const DAYS = 120;
const registration = (name: string, version: string, extra: Record<string, unknown> = {}) =>
  parseRegistration({
    name, version, labelType: 'price_direction', horizon: '4h', timeframe: '1h', symbols: ['BTC/USDT'], features: FIXTURE_FEATURES, classNames: CLASSES,
    trainingStart: new Date(START).toISOString(), trainingEnd: new Date(START + 60 * 24 * HOUR).toISOString(), registeredBy: 'test', ...extra,
  });

let db: MigratedDatabase;
let prisma: PrismaClient;
let deps: { pool: MigratedDatabase['pool']; prisma: PrismaClient };

beforeAll(async () => {
  db = await createMigratedDatabase();
  prisma = createPrisma(db.url);
  deps = { pool: db.pool, prisma };
  // Every 50th candle simulated; the last 30 days drift (rsi shifted up).
  await seedSeries(db.pool, { symbol: 'BTC/USDT', start: START, hours: (DAYS - 30) * 24, simulated: (i) => i % 50 === 0 });
  await seedSeries(db.pool, { symbol: 'BTC/USDT', start: START + (DAYS - 30) * 24 * HOUR, hours: 30 * 24, seed: 9, rsiShift: 25 });
}, 60_000);

afterAll(async () => {
  await prisma?.$disconnect();
  await db?.drop();
});

describe('registering models', () => {
  it('stores an ONNX model with its contract and file, as a candidate', async () => {
    const model = await registerOnnxModel(deps, registration('logreg', '1'), fixture('logistic-zipmap.onnx'));
    expect(model).toMatchObject({ modelId: 'logreg@1', status: 'candidate', kind: 'onnx', features: FIXTURE_FEATURES, classNames: CLASSES, inputName: 'float_input' });
    const { rows } = await db.pool.query('select size_bytes from ml_model_files where checksum = $1', [model.fileChecksum]);
    expect(rows).toEqual([{ size_bytes: fixture('logistic-zipmap.onnx').length }]);
  });

  it('stores the torch model in the feature order its metadata names', async () => {
    const model = await registerOnnxModel(deps, registration('mlp', '1', { classNames: undefined }), fixture('torch-mlp.onnx'));
    expect(model.features).toEqual(['volume_zscore_20', 'return_4', 'rsi', 'macd_histogram', 'realized_vol_24']);
  });

  it('refuses a model that does not fit, a used version and bad input, writing nothing', async () => {
    const before = await db.pool.query('select count(*)::int as n from ml_models_metadata');
    await expect(registerOnnxModel(deps, registration('bad', '1'), fixture('bad-regressor.onnx'))).rejects.toBeInstanceOf(ModelContractError);
    await expect(registerOnnxModel(deps, registration('logreg', '1'), fixture('logistic.onnx'))).rejects.toThrow(/already registered/);
    expect(() => registration('x', '1', { features: ['rsi', 'not_a_feature'] })).toThrow(/features: not stored features: not_a_feature/);
    expect(() => registration('x', '1', { classNames: ['a', 'b', 'c'] })).toThrow(/classNames: must be up, down, flat/);
    expect(() => registration('x', '1', { horizon: '90m' })).toThrow(/horizon/);
    const after = await db.pool.query('select count(*)::int as n from ml_models_metadata');
    expect(after.rows).toEqual(before.rows);
  });
});

describe('predictions', () => {
  it('fill history once per candle and model version, and replace one made on a simulated candle once it is real', async () => {
    const range = { from: new Date(START), to: new Date(START + DAYS * 24 * HOUR), symbols: [] };
    const [first] = await predictRange(deps, 'logreg@1', range);
    expect(first).toMatchObject({ candles: DAYS * 24, skipped: 0, scored: DAYS * 24, written: DAYS * 24 });
    const [again] = await predictRange(deps, 'logreg@1', range);
    expect(again.written).toBe(0);

    await db.pool.query(`update ml_features_ohlcv set is_simulated = false, source = 'binance' where timestamp = $1`, [new Date(START + 50 * HOUR)]);
    const [replaced] = await predictRange(deps, 'logreg@1', range);
    expect(replaced.written).toBe(1);
    const { rows } = await db.pool.query(`select count(*)::int as n, count(*) filter (where is_simulated)::int as simulated from ml_predictions where model_id = 'logreg@1'`);
    expect(rows[0].n).toBe(DAYS * 24);
    expect(rows[0].simulated).toBe(Math.ceil(((DAYS - 30) * 24) / 50) - 1);
  });

  it('store every class probability and the most likely class', async () => {
    const { rows } = await db.pool.query(`select predicted_label, confidence, class_probabilities from ml_predictions where model_id = 'logreg@1' limit 20`);
    for (const row of rows) {
      const probabilities = row.class_probabilities as Record<string, number>;
      expect(Object.keys(probabilities).sort()).toEqual([...CLASSES].sort());
      const best = Object.entries(probabilities).sort((a, b) => b[1] - a[1])[0];
      expect(row.predicted_label).toBe(best[0]);
      expect(row.confidence).toBeCloseTo(best[1], 12);
    }
  });

  it('are scored against realized labels: rolling accuracy and calibration', async () => {
    const performance = await realizedPerformance(deps, 'logreg@1', { symbol: 'BTC/USDT', from: new Date(START), to: new Date(START + DAYS * 24 * HOUR), window: 168 });
    expect(performance.scored).toBe(DAYS * 24);
    expect(performance.metrics!.accuracy).toBeGreaterThan(0.6);
    expect(performance.rolling.at(-1)!.window).toBe(168);
    expect(performance.calibration.reduce((sum, bin) => sum + bin.count, 0)).toBe(DAYS * 24);
  });
});

describe('activate, retire, roll back', () => {
  it('keeps one active version per name and rolls back to the previous one', async () => {
    await registerOnnxModel(deps, registration('logreg', '2'), fixture('logistic.onnx'));
    await changeStatus(prisma, 'logreg@1', 'activate');
    let line = await changeStatus(prisma, 'logreg@2', 'activate');
    expect(Object.fromEntries(line.map((m) => [m.modelId, m.status]))).toEqual({ 'logreg@1': 'retired', 'logreg@2': 'active' });
    line = await changeStatus(prisma, 'logreg@2', 'rollback');
    expect(Object.fromEntries(line.map((m) => [m.modelId, m.status]))).toEqual({ 'logreg@1': 'active', 'logreg@2': 'retired' });
    await expect(changeStatus(prisma, 'logreg@2', 'rollback')).rejects.toBeInstanceOf(ModelStateError);
    await expect(changeStatus(prisma, 'mlp@1', 'rollback')).rejects.toThrow(/not active/);
    expect((await listModels(prisma, { status: 'active' })).map((m) => m.modelId)).toEqual(['logreg@1']);
  });

  it('the worker step scores new candles of every active model, idempotently', async () => {
    await changeStatus(prisma, 'mlp@1', 'activate');
    const now = new Date(START + DAYS * 24 * HOUR);
    const first = await scoreNewCandles(deps, { now, lookbackMs: 48 * HOUR, trackedSymbols: ['BTC/USDT'] });
    expect(first.map((s) => [s.modelId, s.written])).toEqual([['logreg@1', 0], ['mlp@1', 48]]);
    await seedSeries(db.pool, { symbol: 'BTC/USDT', start: now.getTime(), hours: 1, seed: 3 });
    const next = await scoreNewCandles(deps, { now: new Date(now.getTime() + HOUR), lookbackMs: 48 * HOUR, trackedSymbols: ['BTC/USDT'] });
    expect(next.map((s) => s.written)).toEqual([1, 1]);
  });
});

describe('walk-forward evaluation and drift', () => {
  it('trains the baselines from the training-set export and evaluates them beside the majority', async () => {
    const logistic = await trainBaseline(deps, {
      kind: 'logistic_regression', registration: registration('baseline-logistic', '1', { classNames: undefined }),
      symbol: 'BTC/USDT', from: new Date(START), to: new Date(START + 60 * 24 * HOUR),
    });
    expect(logistic.kind).toBe('logistic_regression');
    const result = await evaluateModel(deps, logistic.modelId, { symbol: 'BTC/USDT', from: new Date(START), to: new Date(START + 90 * 24 * HOUR), folds: 4 });
    expect(result.folds).toHaveLength(4);
    expect(result.overall.model.accuracy).toBeGreaterThan(result.overall.baseline.accuracy);
    const stored = await getModel(prisma, logistic.modelId);
    expect(stored.metrics).toMatchObject({ walkForward: { folds: 4, rows: result.overall.rows } });
  }, 120_000);

  it('evaluates a fixed ONNX model only outside its training window', async () => {
    const result = await evaluateModel(deps, 'mlp@1', { symbol: 'BTC/USDT', from: new Date(START), to: new Date(START + 90 * 24 * HOUR), folds: 3 });
    const trainedUntil = START + 60 * 24 * HOUR + 4 * HOUR;
    expect(result.folds.every((f) => Date.parse(f.testFrom) > trainedUntil)).toBe(true);
  });

  it('shows the shifted feature first in the drift table', async () => {
    const report = await driftReport(deps, 'logreg@1', { symbol: 'BTC/USDT', now: new Date(START + DAYS * 24 * HOUR), recentDays: 30 });
    expect(report.features[0]).toMatchObject({ feature: 'rsi', status: 'red' });
    expect(report.features.slice(1).every((f) => f.status === 'ok')).toBe(true);
    expect(report.labels!.status).not.toBe('too_small');
    const tiny = await driftReport(deps, 'logreg@1', { symbol: 'BTC/USDT', now: new Date(START + DAYS * 24 * HOUR), recentDays: 2 });
    expect(tiny.features.every((f) => f.status === 'too_small')).toBe(true);
  });
});
