import { ROW_IN, ROW_OUT } from './one-row';

/**
 * TA-Lib's SMA (TA_INT_SMA): one running total, add the new value, divide, subtract the value
 * leaving the window, in that order, so values are bit-identical to TA-Lib's. O(1) per value,
 * where trading-signals' SMA re-adds the whole window every time.
 * NaN until `period` values have been seen.
 */
export class TaLibSma {
  private readonly period: number;
  private readonly window: Float64Array;
  private seen = 0;
  private total = 0;

  constructor(period: number) {
    this.period = period;
    this.window = new Float64Array(period);
  }

  update(x: number): number {
    ROW_IN[0][0] = x;
    this.run(ROW_IN[0], ROW_OUT[0], 0, 1);
    return ROW_OUT[0][0];
  }

  /** SMA of X[from, to) into out (out may be X: each value is read before its row is written). */
  run(X: Float64Array, out: Float64Array, from: number, to: number): void {
    const n = this.period;
    const window = this.window;
    let seen = this.seen;
    let total = this.total;
    let slot = seen % n;
    for (let i = from; i < to; i++) {
      const x = X[i]!;
      window[slot] = x;
      slot = slot + 1 === n ? 0 : slot + 1;
      seen++;
      total += x;
      if (seen < n) {
        out[i] = NaN;
        continue;
      }
      out[i] = total / n;
      // The oldest value in the window sits in the slot the next value will take.
      total -= window[slot]!;
    }
    this.seen = seen;
    this.total = total;
  }
}
