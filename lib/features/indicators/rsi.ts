import { ROW_IN, ROW_OUT } from './one-row';
import { isTaLibZero } from './talib-rules';

/**
 * TA-Lib RSI: average gain/loss seeded with the plain mean of the first `period` changes, then
 * Wilder's (avg·(n−1) + x)/n in TA-Lib's operation order. TA-Lib returns 0 (not 100 or 50, as
 * trading-signals does) when gain + loss is zero, e.g. after a long flat stretch; so do we.
 * NaN until row `period`.
 */
export class TaLibRsi {
  private readonly period: number;
  private seen = 0;
  private previous = NaN;
  private gain = 0;
  private loss = 0;

  constructor(period = 14) {
    this.period = period;
  }

  update(close: number): number {
    ROW_IN[0][0] = close;
    this.run(ROW_IN[0], ROW_OUT[0], 0, 1);
    return ROW_OUT[0][0];
  }

  /** RSI of rows [from, to) into out; the state lives in locals meanwhile. */
  run(P: Float64Array, out: Float64Array, from: number, to: number): void {
    const n = this.period;
    let row = this.seen;
    let previous = this.previous;
    let gain = this.gain;
    let loss = this.loss;
    for (let i = from; i < to; i++, row++) {
      const close = P[i]!;
      const change = close - previous;
      previous = close;
      if (row === 0) {
        out[i] = NaN;
        continue;
      }
      if (row > n) {
        loss *= n - 1;
        gain *= n - 1;
      }
      if (change < 0) loss -= change;
      else gain += change;
      if (row < n) {
        out[i] = NaN;
        continue;
      }
      loss /= n;
      gain /= n;
      const total = gain + loss;
      out[i] = isTaLibZero(total) ? 0 : 100 * (gain / total);
    }
    this.seen = row;
    this.previous = previous;
    this.gain = gain;
    this.loss = loss;
  }
}
