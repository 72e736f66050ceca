import { classificationMetrics, pooledMetrics, type Metrics } from './metrics';
import { fitMajority } from './baselines';
import type { Predict } from './scorer';

/**
 * Walk-forward evaluation: history is cut into consecutive blocks; fold k trains on every block before
 * block k (an expanding window) and tests on block k. Between the last training row and the first test
 * row lies a purge gap of at least the label's horizon, so no training label's outcome overlaps the
 * test period. The model and the majority baseline are scored on exactly the same test rows.
 */
export interface Fold {
  /** Row indices [start, end) into the time-ordered rows. */
  train: { start: number; end: number };
  test: { start: number; end: number };
}

export interface WalkForwardPlan {
  folds: number;
  /** At least the label's horizon in ms; a test row must open more than this after the last training row. */
  purgeMs: number;
  minTrainRows: number;
}

export class WalkForwardError extends Error {
  override name = 'WalkForwardError';
}

export function walkForwardFolds(timestamps: readonly number[], plan: WalkForwardPlan): Fold[] {
  const n = timestamps.length;
  const block = Math.floor(n / (plan.folds + 1));
  if (block < 1) throw new WalkForwardError(`${n} rows are too few for ${plan.folds} folds`);
  const folds: Fold[] = [];
  for (let k = 1; k <= plan.folds; k++) {
    const testEnd = k === plan.folds ? n : (k + 1) * block;
    let trainEnd = k * block;
    // Purge: drop training rows whose label horizon reaches into the test block.
    const testStart = trainEnd;
    while (trainEnd > 0 && timestamps[testStart] - timestamps[trainEnd - 1] <= plan.purgeMs) trainEnd -= 1;
    if (trainEnd < plan.minTrainRows) continue;
    folds.push({ train: { start: 0, end: trainEnd }, test: { start: testStart, end: testEnd } });
  }
  if (folds.length === 0) throw new WalkForwardError(`no fold has ${plan.minTrainRows} training rows out of ${n}`);
  return folds;
}

export interface LabelledRows {
  timestamps: number[];
  features: Float64Array[];
  /** Class index of each row's realized label. */
  labels: number[];
}

/** Produces a predictor from a fold's training rows (a baseline refits; a registered ONNX model is fixed). */
export type FitPredictor = (train: LabelledRows) => Predict | Promise<Predict>;

export interface FoldResult {
  trainFrom: string;
  trainTo: string;
  testFrom: string;
  testTo: string;
  trainRows: number;
  testRows: number;
  model: Metrics;
  baseline: Metrics;
}

export interface WalkForwardResult {
  classNames: string[];
  purgeMs: number;
  folds: FoldResult[];
  /** Every fold's test rows pooled. */
  overall: { rows: number; model: Metrics; baseline: Metrics };
}

const iso = (ms: number) => new Date(ms).toISOString();

function slice(rows: LabelledRows, start: number, end: number, keep: (t: number) => boolean = () => true): LabelledRows {
  const out: LabelledRows = { timestamps: [], features: [], labels: [] };
  for (let i = start; i < end; i++) {
    if (!keep(rows.timestamps[i])) continue;
    out.timestamps.push(rows.timestamps[i]);
    out.features.push(rows.features[i]);
    out.labels.push(rows.labels[i]);
  }
  return out;
}

export async function evaluateWalkForward(
  rows: LabelledRows,
  classNames: string[],
  plan: WalkForwardPlan,
  fit: FitPredictor,
  /** Test rows a model must not be judged on (inside its own training window). */
  testable: (timestamp: number) => boolean = () => true,
): Promise<WalkForwardResult> {
  const results: FoldResult[] = [];
  const pooled: { model: { truth: number[]; probabilities: number[][] }[]; baseline: { truth: number[]; probabilities: number[][] }[] } = { model: [], baseline: [] };
  for (const fold of walkForwardFolds(rows.timestamps, plan)) {
    const train = slice(rows, fold.train.start, fold.train.end);
    const test = slice(rows, fold.test.start, fold.test.end, testable);
    if (test.labels.length === 0) continue;
    const model = await (await fit(train))(test.features);
    const baseline = await fitMajority(train.labels, classNames.length).predict(test.features);
    pooled.model.push({ truth: test.labels, probabilities: model });
    pooled.baseline.push({ truth: test.labels, probabilities: baseline });
    results.push({
      trainFrom: iso(train.timestamps[0]),
      trainTo: iso(train.timestamps.at(-1)!),
      testFrom: iso(test.timestamps[0]),
      testTo: iso(test.timestamps.at(-1)!),
      trainRows: train.labels.length,
      testRows: test.labels.length,
      model: classificationMetrics(test.labels, model, classNames),
      baseline: classificationMetrics(test.labels, baseline, classNames),
    });
  }
  if (results.length === 0) throw new WalkForwardError('no fold has test rows outside the model\'s training window');
  return {
    classNames,
    purgeMs: plan.purgeMs,
    folds: results,
    overall: {
      rows: results.reduce((sum, f) => sum + f.testRows, 0),
      model: pooledMetrics(pooled.model, classNames),
      baseline: pooledMetrics(pooled.baseline, classNames),
    },
  };
}
