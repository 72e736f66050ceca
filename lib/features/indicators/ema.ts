import { ROW_IN, ROW_OUT } from './one-row';

/**
 * TA-Lib's EMA (TA_INT_EMA, default compatibility): the first value is the SMA of the first
 * `period` inputs, then prev + k·(x − prev) with k = 2/(period+1), evaluated in TA-Lib's
 * operation order so the values are bit-identical. trading-signals' EMA seeds with the first
 * input instead, which changes every early value.
 * `update` returns NaN until `period` inputs have been seen.
 */
export class TaLibEma {
  readonly period: number;
  private readonly k: number;
  private seen = 0;
  private seedSum = 0;
  private value = NaN;

  constructor(period: number) {
    this.period = period;
    this.k = 2 / (period + 1);
  }

  update(x: number): number {
    ROW_IN[0][0] = x;
    this.run(ROW_IN[0], ROW_OUT[0], 0, 1);
    return ROW_OUT[0][0];
  }

  /** EMA of X[from, to) into out (out may be X: each value is read before its row is written). */
  run(X: Float64Array, out: Float64Array, from: number, to: number): void {
    const n = this.period;
    const k = this.k;
    let seen = this.seen;
    let seedSum = this.seedSum;
    let value = this.value;
    let i = from;
    for (; i < to && seen < n; i++) {
      seedSum += X[i]!;
      seen++;
      if (seen === n) value = seedSum / n;
      out[i] = value;
    }
    for (; i < to; i++) {
      value = (X[i]! - value) * k + value;
      out[i] = value;
    }
    this.seen = seen;
    this.seedSum = seedSum;
    this.value = value;
  }
}

/** close / average − 1 (NaN while the average is NaN, i.e. not defined yet). */
export function distanceFrom(close: number, average: number): number {
  return close / average - 1;
}

/** distanceFrom for rows [from, to) of a close and an average column (out may be the average's). */
export function distancesFrom(P: Float64Array, average: Float64Array, out: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) out[i] = distanceFrom(P[i]!, average[i]!);
}
