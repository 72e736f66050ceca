import LogisticRegression from 'ml-logistic-regression';
import { Matrix } from 'ml-matrix';
import type { Predict } from './scorer';

/**
 * The built-in baselines, so the loop works before anyone brings a model: the majority class, and a
 * multinomial classifier from ml-logistic-regression (mljs), which trains one logistic regression per
 * class against the rest by gradient descent; its per-class probabilities are normalised to sum to 1,
 * as scikit-learn does for one-vs-rest. Features are standardised with the training rows' mean and
 * standard deviation, and a constant column gives each classifier its intercept.
 */
export interface MajorityParameters {
  kind: 'majority';
  /** Class shares in the training rows: the majority's predicted probabilities. */
  shares: number[];
}

export interface LogisticParameters {
  kind: 'logistic_regression';
  classes: number;
  mean: number[];
  std: number[];
  /** Class index each trained one-vs-rest classifier stands for (classes absent from training have none). */
  present: number[];
  model: Record<string, unknown>;
}

export type BaselineParameters = MajorityParameters | LogisticParameters;

export interface FittedBaseline<P extends BaselineParameters = BaselineParameters> {
  parameters: P;
  predict: Predict;
}

export function fitMajority(labels: readonly number[], classes: number): FittedBaseline<MajorityParameters> {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label] += 1;
  return majorityFrom({ kind: 'majority', shares: counts.map((count) => count / Math.max(1, labels.length)) });
}

function majorityFrom(parameters: MajorityParameters): FittedBaseline<MajorityParameters> {
  return { parameters, predict: async (rows) => rows.map(() => [...parameters.shares]) };
}

export interface LogisticOptions {
  /** Gradient-descent steps of each one-vs-rest classifier. */
  steps: number;
  /** Step size per row: the library sums gradients over rows, so the rate is divided by the row count. */
  learningRate: number;
}

export const DEFAULT_LOGISTIC_OPTIONS: LogisticOptions = { steps: 150, learningRate: 0.5 };

function design(rows: readonly Float64Array[], mean: number[], std: number[]): Matrix {
  return new Matrix(rows.map((row) => [1, ...Array.from(row, (value, j) => (value - mean[j]) / std[j])]));
}

export function fitLogistic(rows: readonly Float64Array[], labels: readonly number[], classes: number, options: LogisticOptions = DEFAULT_LOGISTIC_OPTIONS): FittedBaseline<LogisticParameters> {
  if (rows.length === 0) throw new Error('no training rows');
  const width = rows[0].length;
  const mean = new Array<number>(width).fill(0);
  const std = new Array<number>(width).fill(0);
  for (const row of rows) row.forEach((value, j) => (mean[j] += value / rows.length));
  for (const row of rows) row.forEach((value, j) => (std[j] += (value - mean[j]) ** 2 / rows.length));
  for (let j = 0; j < width; j++) std[j] = Math.sqrt(std[j]) || 1;

  // The library numbers classes 0…k−1 by the distinct values it sees: give it only present classes.
  const present = [...new Set(labels)].sort((a, b) => a - b);
  const compact = new Map(present.map((c, i) => [c, i]));
  const model = new LogisticRegression({ numSteps: options.steps, learningRate: options.learningRate / rows.length });
  model.train(design(rows, mean, std), Matrix.columnVector(labels.map((label) => compact.get(label)!)));
  return logisticFrom({ kind: 'logistic_regression', classes, mean, std, present, model: model.toJSON() });
}

function logisticFrom(parameters: LogisticParameters): FittedBaseline<LogisticParameters> {
  const model = LogisticRegression.load(parameters.model);
  return {
    parameters,
    predict: async (rows) => {
      if (rows.length === 0) return [];
      const x = design(rows, parameters.mean, parameters.std);
      // The library's classifier i scores "not class i" (it codes the class as 0): 1 − score is P(class i).
      const scores = model.classifiers.map((classifier) => classifier.testScores(x));
      return rows.map((_, r) => {
        const p = new Array<number>(parameters.classes).fill(0);
        parameters.present.forEach((c, i) => (p[c] = 1 - scores[i][r]));
        const sum = p.reduce((a, b) => a + b, 0);
        return sum > 0 ? p.map((v) => v / sum) : p.map(() => 1 / parameters.classes);
      });
    },
  };
}

export function baselineFrom(parameters: BaselineParameters): FittedBaseline {
  return parameters.kind === 'majority' ? majorityFrom(parameters) : logisticFrom(parameters);
}
