/**
 * Classification metrics, as scikit-learn defines them, for class indices 0…C−1 and probability rows.
 * Pure: arrays in, numbers out. tests/models/metrics.test.ts checks them against hand-worked values
 * and against sklearn's output for a fixture.
 */
export interface ClassMetrics {
  precision: number | null;
  recall: number | null;
  support: number;
}

export interface Metrics {
  rows: number;
  accuracy: number;
  /** Mean of the per-class recalls over the classes present in the truth (sklearn's balanced_accuracy_score). */
  balancedAccuracy: number;
  /** Mean of −ln p(true class), probabilities clipped to [ε, 1−ε] (sklearn's log_loss). */
  logLoss: number;
  /** Mean over rows of Σ_c (p_c − 1[c = truth])² (the multiclass Brier score, range [0, 2]). */
  brier: number;
  perClass: Record<string, ClassMetrics>;
  /** confusion[truth][predicted], rows and columns in class order. */
  confusion: number[][];
}

const EPSILON = 1e-15;

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export function confusionMatrix(truth: readonly number[], predicted: readonly number[], classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < truth.length; i++) matrix[truth[i]][predicted[i]] += 1;
  return matrix;
}

/** Metrics of probability rows `probabilities[i][c]` against true class indices. */
export function classificationMetrics(truth: readonly number[], probabilities: readonly ArrayLike<number>[], classNames: readonly string[]): Metrics {
  if (truth.length !== probabilities.length) throw new Error(`${truth.length} labels but ${probabilities.length} prediction rows`);
  if (truth.length === 0) throw new Error('no rows to evaluate');
  const classes = classNames.length;
  const predicted = probabilities.map((row) => argmax(row));
  const confusion = confusionMatrix(truth, predicted, classes);

  let correct = 0;
  let logLoss = 0;
  let brier = 0;
  for (let i = 0; i < truth.length; i++) {
    const row = probabilities[i];
    if (predicted[i] === truth[i]) correct += 1;
    // sklearn renormalises each row before clipping; rows here already sum to 1 within float error.
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += row[c];
    const p = Math.min(1 - EPSILON, Math.max(EPSILON, row[truth[i]] / sum));
    logLoss -= Math.log(p);
    for (let c = 0; c < classes; c++) brier += (row[c] - (c === truth[i] ? 1 : 0)) ** 2;
  }

  const perClass: Record<string, ClassMetrics> = {};
  const recalls: number[] = [];
  classNames.forEach((name, c) => {
    const support = confusion[c].reduce((a, b) => a + b, 0);
    const predictedAs = confusion.reduce((sum, row) => sum + row[c], 0);
    const recall = support ? confusion[c][c] / support : null;
    if (recall !== null) recalls.push(recall);
    perClass[name] = { precision: predictedAs ? confusion[c][c] / predictedAs : null, recall, support };
  });

  return {
    rows: truth.length,
    accuracy: correct / truth.length,
    balancedAccuracy: recalls.reduce((a, b) => a + b, 0) / recalls.length,
    logLoss: logLoss / truth.length,
    brier: brier / truth.length,
    perClass,
    confusion,
  };
}

/** Sums metrics over folds by pooling their rows: what the whole walk-forward scored. */
export function pooledMetrics(folds: { truth: number[]; probabilities: ArrayLike<number>[] }[], classNames: readonly string[]): Metrics {
  return classificationMetrics(
    folds.flatMap((fold) => fold.truth),
    folds.flatMap((fold) => fold.probabilities),
    classNames,
  );
}

export interface CalibrationBin {
  /** Bin of predicted confidence [lower, upper). */
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number | null;
  /** Share of the bin's predictions whose class came true. */
  observedAccuracy: number | null;
}

/** Reliability diagram of the predicted class's probability: equal-width bins over [0, 1]. */
export function calibrationBins(confidence: readonly number[], correct: readonly boolean[], bins = 10): CalibrationBin[] {
  const out = Array.from({ length: bins }, (_, b) => ({ lower: b / bins, upper: (b + 1) / bins, count: 0, sumConfidence: 0, hits: 0 }));
  confidence.forEach((p, i) => {
    const bin = out[Math.min(bins - 1, Math.floor(p * bins))];
    bin.count += 1;
    bin.sumConfidence += p;
    if (correct[i]) bin.hits += 1;
  });
  return out.map(({ lower, upper, count, sumConfidence, hits }) => ({
    lower,
    upper,
    count,
    meanConfidence: count ? sumConfidence / count : null,
    observedAccuracy: count ? hits / count : null,
  }));
}

export interface RollingPoint {
  timestamp: number;
  /** Accuracy over the last `window` scored predictions up to this one. */
  accuracy: number;
  window: number;
}

/** Rolling accuracy over time, one point per scored prediction once the window is full (or with what there is). */
export function rollingAccuracy(points: readonly { timestamp: number; correct: boolean }[], window: number): RollingPoint[] {
  const out: RollingPoint[] = [];
  let hits = 0;
  points.forEach((point, i) => {
    if (point.correct) hits += 1;
    if (i >= window && points[i - window].correct) hits -= 1;
    const size = Math.min(window, i + 1);
    out.push({ timestamp: point.timestamp, accuracy: hits / size, window: size });
  });
  return out;
}
