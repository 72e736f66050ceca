import { describe, expect, it } from 'vitest';
import { fitLogistic, fitMajority, baselineFrom } from '@/lib/models/baselines';
import { mulberry32 } from './seed';
import { evaluateWalkForward, walkForwardFolds, type LabelledRows } from '@/lib/models/walk-forward';

const HOUR = 3_600_000;
const hours = (n: number) => Array.from({ length: n }, (_, i) => i * HOUR);

/** Two informative features and one of noise; the class is which side of two lines a row falls. */
function separable(n: number, seed = 1): LabelledRows {
  const random = mulberry32(seed);
  const rows: LabelledRows = { timestamps: hours(n), features: [], labels: [] };
  for (let i = 0; i < n; i++) {
    const x = Float64Array.of(random() * 4 - 2, random() * 4 - 2, random());
    rows.features.push(x);
    rows.labels.push(x[0] + x[1] > 1 ? 2 : x[0] + x[1] < -1 ? 0 : 1);
  }
  return rows;
}

describe('walk-forward folds', () => {
  it('train on everything before the test block, minus a purge gap longer than the horizon', () => {
    const folds = walkForwardFolds(hours(100), { folds: 4, purgeMs: 4 * HOUR, minTrainRows: 10 });
    expect(folds.map((f) => f.test)).toEqual([{ start: 20, end: 40 }, { start: 40, end: 60 }, { start: 60, end: 80 }, { start: 80, end: 100 }]);
    // The last training row opens 5 hours before the first test row: its 4h label ended before it.
    expect(folds.map((f) => f.train)).toEqual([{ start: 0, end: 16 }, { start: 0, end: 36 }, { start: 0, end: 56 }, { start: 0, end: 76 }]);
  });

  it('measure the purge in time, so a gap in the candles counts', () => {
    const timestamps = [...hours(10), ...hours(10).map((t) => t + 100 * HOUR)];
    const [fold] = walkForwardFolds(timestamps, { folds: 1, purgeMs: 4 * HOUR, minTrainRows: 1 });
    expect(fold.train.end).toBe(10); // the 90-hour gap already separates them
  });

  it('skip folds without enough training rows and say when none is left', () => {
    expect(walkForwardFolds(hours(100), { folds: 4, purgeMs: 0, minTrainRows: 30 })).toHaveLength(3);
    expect(() => walkForwardFolds(hours(10), { folds: 4, purgeMs: 0, minTrainRows: 30 })).toThrow(/no fold has 30 training rows/);
  });
});

describe('baselines', () => {
  it('the majority predicts the training class shares', async () => {
    const majority = fitMajority([0, 1, 1, 1], 3);
    expect(await majority.predict([Float64Array.of(1)])).toEqual([[0.25, 0.75, 0]]);
  });

  it('the logistic regression (ml-logistic-regression, one-vs-rest) learns a separable problem and reloads from its parameters', async () => {
    const train = separable(600);
    const test = separable(300, 7);
    const fitted = fitLogistic(train.features, train.labels, 3);
    const probabilities = await fitted.predict(test.features);
    probabilities.forEach((row) => expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12));
    const accuracy = probabilities.filter((row, i) => row.indexOf(Math.max(...row)) === test.labels[i]).length / test.labels.length;
    expect(accuracy).toBeGreaterThan(0.85);
    const reloaded = baselineFrom(JSON.parse(JSON.stringify(fitted.parameters)));
    expect(await reloaded.predict(test.features.slice(0, 5))).toEqual(probabilities.slice(0, 5));
  });

  it('a class absent from training gets probability 0', async () => {
    const fitted = fitLogistic([Float64Array.of(0), Float64Array.of(1), Float64Array.of(0.1), Float64Array.of(0.9)], [0, 2, 0, 2], 3);
    const [row] = await fitted.predict([Float64Array.of(0.5)]);
    expect(row[1]).toBe(0);
  });
});

describe('walk-forward evaluation', () => {
  it('scores the model and the majority baseline on the same test rows', async () => {
    const rows = separable(1000);
    const result = await evaluateWalkForward(rows, ['down', 'flat', 'up'], { folds: 4, purgeMs: 4 * HOUR, minTrainRows: 50 }, (train) =>
      fitLogistic(train.features, train.labels, 3).predict);
    expect(result.folds).toHaveLength(4);
    for (const fold of result.folds) {
      expect(fold.model.rows).toBe(fold.baseline.rows);
      expect(Date.parse(fold.testFrom) - Date.parse(fold.trainTo)).toBeGreaterThan(4 * HOUR);
    }
    expect(result.overall.rows).toBe(800);
    expect(result.overall.model.accuracy).toBeGreaterThan(result.overall.baseline.accuracy + 0.2);
    expect(result.overall.model.logLoss).toBeLessThan(result.overall.baseline.logLoss);
  });

  it('never judges a fixed model on rows of its own training window', async () => {
    const rows = separable(500);
    const trainedUntil = 300 * HOUR;
    const result = await evaluateWalkForward(rows, ['down', 'flat', 'up'], { folds: 4, purgeMs: 0, minTrainRows: 10 },
      () => async (x) => x.map(() => [1 / 3, 1 / 3, 1 / 3]), (t) => t > trainedUntil);
    expect(result.folds.every((fold) => Date.parse(fold.testFrom) > trainedUntil)).toBe(true);
    expect(result.overall.rows).toBe(199);
  });
});
