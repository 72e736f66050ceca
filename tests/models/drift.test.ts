import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DRIFT_THRESHOLDS, featureDrift, ksStatistic, labelShift, psi, quantile, worstFirst } from '@/lib/models/drift';

// numpy PSI (decile bins of the reference) and scipy.stats.ks_2samp: scripts/models/make_references.py.
const reference = JSON.parse(readFileSync(path.join(process.cwd(), 'tests/fixtures/models/drift-reference.json'), 'utf8')) as Record<
  string,
  { reference: number[]; recent: number[]; psi: number; ks: number }
>;
const sorted = (values: number[]) => Float64Array.from(values).sort();

describe('PSI and KS against numpy and scipy', () => {
  it.each(Object.keys(reference))('%s', (name) => {
    const c = reference[name];
    expect(psi(sorted(c.reference), sorted(c.recent))).toBeCloseTo(c.psi, 10);
    expect(ksStatistic(sorted(c.reference), sorted(c.recent))).toBeCloseTo(c.ks, 12);
  });

  it('quantiles interpolate like numpy', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 12);
    expect(quantile([5], 0.9)).toBe(5);
  });

  it('a hand-worked KS statistic', () => {
    // F_a − F_b is largest at 2: 2/3 of a against 0 of b
    expect(ksStatistic(sorted([1, 2, 3]), sorted([2.5, 3, 4]))).toBeCloseTo(2 / 3, 12);
  });
});

describe('drift status', () => {
  const c = reference.shifted_mean;
  it('grades by the configurable thresholds', () => {
    expect(featureDrift('x', reference.same_distribution.reference, reference.same_distribution.recent).status).toBe('ok');
    expect(featureDrift('x', c.reference, c.recent).status).toBe('red'); // PSI 0.27 ≥ 0.25
    expect(featureDrift('x', c.reference, c.recent, { ...DEFAULT_DRIFT_THRESHOLDS, psiRed: 0.5, ksRed: 0.5 }).status).toBe('amber');
  });

  it('says a window is too small to judge instead of raising an alarm', () => {
    const drift = featureDrift('x', c.reference, c.recent.slice(0, 50));
    expect(drift).toMatchObject({ status: 'too_small', psi: null, ks: null, recentRows: 50 });
    expect(drift.reason).toMatch(/at least 100 values/);
  });

  it('leaves missing values out and reports their share', () => {
    const drift = featureDrift('x', c.reference, [...c.recent, null, Number.NaN]);
    expect(drift.recentRows).toBe(c.recent.length);
    expect(drift.recentMissingShare).toBeCloseTo(2 / (c.recent.length + 2), 12);
    expect(drift.psi).toBeCloseTo(c.psi, 10);
  });

  it('orders the worst features first', () => {
    const drifts = [
      featureDrift('small', [1, 2], [1, 2]),
      featureDrift('same', reference.same_distribution.reference, reference.same_distribution.recent),
      featureDrift('wider', reference.wider.reference, reference.wider.recent),
      featureDrift('shifted', c.reference, c.recent),
    ];
    expect(worstFirst(drifts).map((d) => d.feature)).toEqual(['wider', 'shifted', 'same', 'small']);
  });

  it('measures the label distribution\'s shift', () => {
    const before = [...Array(60).fill('up'), ...Array(60).fill('down'), ...Array(80).fill('flat')];
    const after = [...Array(120).fill('up'), ...Array(40).fill('down'), ...Array(40).fill('flat')];
    const shift = labelShift(['up', 'down', 'flat'], before, after);
    expect(shift.reference).toEqual({ up: 0.3, down: 0.3, flat: 0.4 });
    expect(shift.recent).toEqual({ up: 0.6, down: 0.2, flat: 0.2 });
    const expected = (0.6 - 0.3) * Math.log(0.6 / 0.3) + (0.2 - 0.3) * Math.log(0.2 / 0.3) + (0.2 - 0.4) * Math.log(0.2 / 0.4);
    expect(shift.psi).toBeCloseTo(expected, 12);
    expect(shift.status).toBe('red');
    expect(labelShift(['up'], ['up'], ['up']).status).toBe('too_small');
  });
});
