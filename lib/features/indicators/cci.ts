import { ROW_IN, ROW_OUT } from './one-row';
import { typicalPrice } from './talib-rules';

/**
 * TA-Lib CCI: mean and mean absolute deviation of the typical price over `period` candles,
 * summed in TA-Lib's circular-buffer order (so values are bit-identical), and 0 when the
 * numerator or the deviation is 0 (trading-signals divides by zero there). O(period) per
 * candle, as in TA-Lib: the mean deviation has no running form. NaN until row period−1.
 */
export class TaLibCci {
  private readonly period: number;
  private readonly typicals: Float64Array;
  private slot = 0;
  private seen = 0;

  constructor(period = 20) {
    this.period = period;
    this.typicals = new Float64Array(period);
  }

  update(high: number, low: number, close: number): number {
    ROW_IN[0][0] = high;
    ROW_IN[1][0] = low;
    ROW_IN[2][0] = close;
    this.run(ROW_IN[0], ROW_IN[1], ROW_IN[2], ROW_OUT[0], 0, 1);
    return ROW_OUT[0][0];
  }

  /** CCI of rows [from, to) into out; the state lives in locals meanwhile. */
  run(H: Float64Array, L: Float64Array, P: Float64Array, out: Float64Array, from: number, to: number): void {
    const n = this.period;
    const values = this.typicals;
    let slot = this.slot;
    let seen = this.seen;
    // TA-Lib sums the buffer from slot 0 on every candle. Slots 0..slot were all written in the
    // current lap, so the sum up to the new value's slot is the previous candle's partial sum
    // plus that value, the same additions in the same order: only slot+1..n−1 need adding.
    let head = 0;
    // Imports go to locals before hot loops (talib-rules.ts).
    const typicalOf = typicalPrice;
    for (let j = 0; j < slot; j++) head += values[j]!;
    for (let i = from; i < to; i++) {
      const typical = typicalOf(H[i]!, L[i]!, P[i]!);
      values[slot] = typical;
      head = slot === 0 ? 0 + typical : head + typical;
      const current = slot;
      slot = slot + 1 === n ? 0 : slot + 1;
      if (++seen < n) {
        out[i] = NaN;
        continue;
      }
      let average = head;
      for (let j = current + 1; j < n; j++) average += values[j]!;
      average /= n;
      let deviation = 0;
      for (let j = 0; j < n; j++) deviation += Math.abs(values[j]! - average);
      const fromAverage = typical - average;
      out[i] = fromAverage !== 0 && deviation !== 0 ? fromAverage / (0.015 * (deviation / n)) : 0;
    }
    this.slot = slot;
    this.seen = seen;
  }
}
