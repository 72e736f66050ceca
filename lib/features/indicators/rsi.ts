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

  /**
   * RSI of rows [from, to) into out; the state lives in locals meanwhile. Past the seed the gain
   * and loss are updated without a branch on the change's sign (adding or subtracting 0 leaves a
   * value's bits unchanged): on real prices that sign is a coin flip, and the CPU's mispredicting
   * it cost 3× TA-Lib C's whole RSI.
   */
  run(P: Float64Array, out: Float64Array, from: number, to: number): void {
    const n = this.period;
    const m = n - 1;
    // Imported helpers are read into locals before a hot loop (see talib-rules.ts).
    const isZero = isTaLibZero;
    let row = this.seen;
    let previous = this.previous;
    let gain = this.gain;
    let loss = this.loss;
    let i = from;
    for (; i < to && row <= n; i++, row++) {
      const close = P[i]!;
      const change = close - previous;
      previous = close;
      if (row === 0) {
        out[i] = NaN;
        continue;
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
      out[i] = isZero(total) ? 0 : 100 * (gain / total);
    }
    row += to - i;
    for (; i < to; i++) {
      const close = P[i]!;
      const change = close - previous;
      previous = close;
      loss = (loss * m - (change < 0 ? change : 0)) / n;
      gain = (gain * m + (change > 0 ? change : 0)) / n;
      const total = gain + loss;
      out[i] = isZero(total) ? 0 : 100 * (gain / total);
    }
    this.seen = row;
    this.previous = previous;
    this.gain = gain;
    this.loss = loss;
  }
}

