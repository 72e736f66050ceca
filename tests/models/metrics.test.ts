import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calibrationBins, classificationMetrics, rollingAccuracy } from '@/lib/models/metrics';

const sklearn = JSON.parse(readFileSync(path.join(process.cwd(), 'tests/fixtures/models/metrics-reference.json'), 'utf8'));

describe('classification metrics', () => {
  it('match hand-worked values', () => {
    // truth a a b c; predicted a b b a (argmax of the rows below)
    const m = classificationMetrics([0, 0, 1, 2], [[0.7, 0.2, 0.1], [0.4, 0.5, 0.1], [0.1, 0.8, 0.1], [0.5, 0.25, 0.25]], ['a', 'b', 'c']);
    expect(m.accuracy).toBe(0.5);
    expect(m.confusion).toEqual([[1, 1, 0], [0, 1, 0], [1, 0, 0]]);
    // recalls: a 1/2, b 1/1, c 0/1 → balanced (0.5 + 1 + 0) / 3
    expect(m.balancedAccuracy).toBeCloseTo(0.5, 12);
    expect(m.perClass.a).toEqual({ precision: 0.5, recall: 0.5, support: 2 });
    expect(m.perClass.b).toEqual({ precision: 0.5, recall: 1, support: 1 });
    expect(m.perClass.c).toEqual({ precision: null, recall: 0, support: 1 });
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.7) + Math.log(0.4) + Math.log(0.8) + Math.log(0.25)) / 4, 12);
    const brier = [(0.3 ** 2 + 0.2 ** 2 + 0.1 ** 2), (0.6 ** 2 + 0.5 ** 2 + 0.1 ** 2), (0.1 ** 2 + 0.2 ** 2 + 0.1 ** 2), (0.5 ** 2 + 0.25 ** 2 + 0.75 ** 2)];
    expect(m.brier).toBeCloseTo(brier.reduce((a, b) => a + b) / 4, 12);
  });

  it('match scikit-learn on a 200-row fixture', () => {
    const m = classificationMetrics(sklearn.truth, sklearn.probabilities, ['a', 'b', 'c']);
    expect(m.accuracy).toBeCloseTo(sklearn.accuracy, 12);
    expect(m.balancedAccuracy).toBeCloseTo(sklearn.balanced_accuracy, 12);
    expect(m.logLoss).toBeCloseTo(sklearn.log_loss, 10);
    expect(m.brier).toBeCloseTo(sklearn.brier, 10);
    expect(m.confusion).toEqual(sklearn.confusion);
    ['a', 'b', 'c'].forEach((name, c) => {
      expect(m.perClass[name].precision).toBeCloseTo(sklearn.precision[c], 12);
      expect(m.perClass[name].recall).toBeCloseTo(sklearn.recall[c], 12);
    });
  });

  it('refuse mismatched or empty inputs', () => {
    expect(() => classificationMetrics([0], [], ['a'])).toThrow(/1 labels but 0/);
    expect(() => classificationMetrics([], [], ['a'])).toThrow(/no rows/);
  });
});

describe('calibration and rolling accuracy', () => {
  it('bin confidences and count hits', () => {
    const bins = calibrationBins([0.05, 0.55, 0.58, 0.95, 1], [false, true, false, true, true], 10);
    expect(bins[0]).toMatchObject({ count: 1, observedAccuracy: 0 });
    expect(bins[5]).toMatchObject({ count: 2, observedAccuracy: 0.5 });
    expect(bins[5].meanConfidence).toBeCloseTo(0.565, 12);
    expect(bins[9]).toMatchObject({ count: 2, observedAccuracy: 1 }); // 1.0 falls in the last bin
    expect(bins[3]).toMatchObject({ count: 0, meanConfidence: null, observedAccuracy: null });
  });

  it('roll over the last N scored predictions', () => {
    const points = [true, false, true, true, false].map((correct, i) => ({ timestamp: i, correct }));
    expect(rollingAccuracy(points, 3).map((p) => p.accuracy)).toEqual([1, 0.5, 2 / 3, 2 / 3, 2 / 3]);
    expect(rollingAccuracy(points, 3).map((p) => p.window)).toEqual([1, 2, 3, 3, 3]);
  });
});
