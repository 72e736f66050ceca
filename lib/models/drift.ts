/**
 * Feature drift between a reference window (the model's training window) and a recent one. Pure:
 * values in, statistics out. PSI uses bins cut at the reference window's deciles (numpy's default
 * linear quantiles), so each bin holds ~10% of the reference; KS is the two-sample statistic
 * sup|F_ref − F_recent| (scipy.stats.ks_2samp's `statistic`). Both are checked against numpy/scipy
 * in tests/models/drift.test.ts.
 */
export type DriftStatus = 'ok' | 'amber' | 'red' | 'too_small';

export interface DriftThresholds {
  psiAmber: number;
  psiRed: number;
  ksAmber: number;
  ksRed: number;
  /** Fewer values than this in either window: "too small to judge", never an alarm. */
  minRows: number;
  bins: number;
}

export const DEFAULT_DRIFT_THRESHOLDS: DriftThresholds = { psiAmber: 0.1, psiRed: 0.25, ksAmber: 0.1, ksRed: 0.2, minRows: 100, bins: 10 };

/** Empty bins get this share instead of 0, so ln(a/e) stays finite (the usual PSI convention). */
export const PSI_FLOOR = 1e-4;

export interface FeatureDrift {
  feature: string;
  status: DriftStatus;
  psi: number | null;
  ks: number | null;
  referenceRows: number;
  recentRows: number;
  /** Values that were missing (null, NaN) in the recent window, as a share of it. */
  recentMissingShare: number;
  reason?: string;
}

/** numpy.quantile(sorted, q) with the default 'linear' method; `sorted` ascending and non-empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

/** Interior bin edges at the reference's quantiles 1/bins … (bins−1)/bins, duplicates removed (ties merge bins). */
export function quantileEdges(sortedReference: ArrayLike<number>, bins: number): number[] {
  const edges: number[] = [];
  for (let k = 1; k < bins; k++) {
    const edge = quantile(sortedReference, k / bins);
    if (edges.length === 0 || edge > edges[edges.length - 1]) edges.push(edge);
  }
  return edges;
}

/** Bin of each value: the number of edges strictly below it (bin i is (edge[i−1], edge[i]]). */
function binShares(sorted: Float64Array, edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (const value of sorted) {
    while (bin < edges.length && value > edges[bin]) bin += 1;
    counts[bin] += 1;
  }
  return counts.map((count) => count / sorted.length);
}

export function psiFromShares(expected: readonly number[], actual: readonly number[]): number {
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = Math.max(expected[i], PSI_FLOOR);
    const a = Math.max(actual[i], PSI_FLOOR);
    psi += (a - e) * Math.log(a / e);
  }
  return psi;
}

/** Population stability index of `recent` against `reference`, both sorted ascending. */
export function psi(sortedReference: Float64Array, sortedRecent: Float64Array, bins = 10): number {
  const edges = quantileEdges(sortedReference, bins);
  return psiFromShares(binShares(sortedReference, edges), binShares(sortedRecent, edges));
}

/** Two-sample Kolmogorov–Smirnov statistic of two ascending samples. */
export function ksStatistic(a: Float64Array, b: Float64Array): number {
  let i = 0;
  let j = 0;
  let worst = 0;
  while (i < a.length && j < b.length) {
    const value = Math.min(a[i], b[j]);
    while (i < a.length && a[i] <= value) i += 1;
    while (j < b.length && b[j] <= value) j += 1;
    worst = Math.max(worst, Math.abs(i / a.length - j / b.length));
  }
  return worst;
}

function finiteSorted(values: ArrayLike<number | null>): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && Number.isFinite(value)) out.push(value);
  }
  return Float64Array.from(out).sort();
}

function grade(value: number, amber: number, red: number): DriftStatus {
  return value >= red ? 'red' : value >= amber ? 'amber' : 'ok';
}

const SEVERITY: Record<DriftStatus, number> = { too_small: 0, ok: 1, amber: 2, red: 3 };

export function featureDrift(feature: string, reference: ArrayLike<number | null>, recent: ArrayLike<number | null>, t: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): FeatureDrift {
  const ref = finiteSorted(reference);
  const now = finiteSorted(recent);
  const base = { feature, referenceRows: ref.length, recentRows: now.length, recentMissingShare: recent.length ? 1 - now.length / recent.length : 0 };
  if (ref.length < t.minRows || now.length < t.minRows) {
    return { ...base, status: 'too_small', psi: null, ks: null, reason: `needs at least ${t.minRows} values in each window (reference ${ref.length}, recent ${now.length})` };
  }
  const p = psi(ref, now, t.bins);
  const ks = ksStatistic(ref, now);
  const psiGrade = grade(p, t.psiAmber, t.psiRed);
  const ksGrade = grade(ks, t.ksAmber, t.ksRed);
  return { ...base, psi: p, ks, status: SEVERITY[psiGrade] >= SEVERITY[ksGrade] ? psiGrade : ksGrade };
}

/** Worst first: red, amber, ok, then too small; within a status by PSI, largest first. */
export function worstFirst(drifts: FeatureDrift[]): FeatureDrift[] {
  return [...drifts].sort((a, b) => SEVERITY[b.status] - SEVERITY[a.status] || (b.psi ?? -1) - (a.psi ?? -1) || a.feature.localeCompare(b.feature));
}

export interface LabelShift {
  status: DriftStatus;
  /** PSI of the class shares (each class is a bin). */
  psi: number | null;
  reference: Record<string, number>;
  recent: Record<string, number>;
  referenceRows: number;
  recentRows: number;
  reason?: string;
}

/** Shift of the label distribution: class shares in each window and the PSI between them. */
export function labelShift(classNames: readonly string[], reference: readonly string[], recent: readonly string[], t: DriftThresholds = DEFAULT_DRIFT_THRESHOLDS): LabelShift {
  const shares = (labels: readonly string[]) =>
    Object.fromEntries(classNames.map((name) => [name, labels.length ? labels.filter((label) => label === name).length / labels.length : 0]));
  const base = { reference: shares(reference), recent: shares(recent), referenceRows: reference.length, recentRows: recent.length };
  if (reference.length < t.minRows || recent.length < t.minRows) {
    return { ...base, status: 'too_small', psi: null, reason: `needs at least ${t.minRows} labels in each window (reference ${reference.length}, recent ${recent.length})` };
  }
  const value = psiFromShares(classNames.map((c) => base.reference[c]), classNames.map((c) => base.recent[c]));
  return { ...base, psi: value, status: grade(value, t.psiAmber, t.psiRed) };
}
