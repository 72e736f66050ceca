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
    if (this.seen < this.period) {
      this.seedSum += x;
      this.seen++;
      if (this.seen === this.period) this.value = this.seedSum / this.period;
      return this.value;
    }
    this.value = (x - this.value) * this.k + this.value;
    return this.value;
  }
}

/** close / average − 1 (NaN while the average is NaN, i.e. not defined yet). */
export function distanceFrom(close: number, average: number): number {
  return close / average - 1;
}
