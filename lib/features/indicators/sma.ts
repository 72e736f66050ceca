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
    const n = this.period;
    this.window[this.seen % n] = x;
    this.seen++;
    this.total += x;
    if (this.seen < n) return NaN;
    const average = this.total / n;
    // The oldest value in the window sits in the slot the next value will take.
    this.total -= this.window[this.seen % n];
    return average;
  }
}
