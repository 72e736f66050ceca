import { ROW_IN, ROW_OUT } from './one-row';
import { trueRange } from './talib-rules';

/**
 * TA-Lib ATR: true range exists from row 1 (it needs the previous close), the first ATR at row
 * `period` is the mean of TR[1..period], then Wilder's (prev·(n−1) + TR)/n. trading-signals
 * also counts the first candle's high−low as a TR, which shifts the seed and the first row.
 */
export class TaLibAtr {
  private readonly period: number;
  private seen = 0;
  private previousClose = NaN;
  private value = NaN;
  private seedSum = 0;

  constructor(period = 14) {
    this.period = period;
  }

  update(high: number, low: number, close: number): number {
    ROW_IN[0][0] = high;
    ROW_IN[1][0] = low;
    ROW_IN[2][0] = close;
    this.run(ROW_IN[0], ROW_IN[1], ROW_IN[2], ROW_OUT[0], 0, 1);
    return ROW_OUT[0][0];
  }

  /** ATR of rows [from, to) into out (NaN before row `period`); the state lives in locals meanwhile. */
  run(H: Float64Array, L: Float64Array, P: Float64Array, out: Float64Array, from: number, to: number): void {
    const n = this.period;
    const m = n - 1;
    let row = this.seen;
    let previousClose = this.previousClose;
    let value = this.value;
    let seedSum = this.seedSum;
    let i = from;
    for (; i < to && row <= n; i++, row++) {
      const range = trueRange(H[i]!, L[i]!, previousClose);
      previousClose = P[i]!;
      if (row === 0) out[i] = NaN;
      else if (row < n) seedSum += range;
      else value = (seedSum + range) / n;
      if (row > 0) out[i] = value;
    }
    row += to - i;
    for (; i < to; i++) {
      value = (value * m + trueRange(H[i]!, L[i]!, previousClose)) / n;
      previousClose = P[i]!;
      out[i] = value;
    }
    this.seen = row;
    this.previousClose = previousClose;
    this.value = value;
    this.seedSum = seedSum;
  }
}
