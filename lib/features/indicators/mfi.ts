import { ROW_IN, ROW_OUT } from './one-row';
import { typicalPrice } from './talib-rules';

/**
 * TA-Lib MFI with its running sums and circular buffer, so values are bit-identical.
 * A candle whose typical price equals the previous one adds to neither flow (technicalindicators
 * counts it as negative); when pos + neg < 1 TA-Lib outputs 0 (trading-signals outputs 50 only
 * for exactly 0). NaN until row `period`.
 */
export class TaLibMfi {
  private readonly period: number;
  private readonly positive: Float64Array;
  private readonly negative: Float64Array;
  private slot = 0;
  private seen = 0;
  private previousTypical = NaN;
  private positiveSum = 0;
  private negativeSum = 0;

  constructor(period = 14) {
    this.period = period;
    this.positive = new Float64Array(period);
    this.negative = new Float64Array(period);
  }

  update(high: number, low: number, close: number, volume: number): number {
    ROW_IN[0][0] = high;
    ROW_IN[1][0] = low;
    ROW_IN[2][0] = close;
    ROW_IN[3][0] = volume;
    this.run(ROW_IN[0], ROW_IN[1], ROW_IN[2], ROW_IN[3], ROW_OUT[0], 0, 1);
    return ROW_OUT[0][0];
  }

  /** MFI of rows [from, to) into out; the state lives in locals meanwhile. */
  run(H: Float64Array, L: Float64Array, P: Float64Array, V: Float64Array, out: Float64Array, from: number, to: number): void {
    const n = this.period;
    const positive = this.positive;
    const negative = this.negative;
    let slot = this.slot;
    let row = this.seen;
    let previousTypical = this.previousTypical;
    let positiveSum = this.positiveSum;
    let negativeSum = this.negativeSum;
    for (let i = from; i < to; i++, row++) {
      const typical = typicalPrice(H[i]!, L[i]!, P[i]!);
      const change = typical - previousTypical;
      previousTypical = typical;
      if (row === 0) {
        out[i] = NaN;
        continue;
      }
      if (row > n) {
        positiveSum -= positive[slot]!;
        negativeSum -= negative[slot]!;
      }
      const flow = typical * V[i]!;
      positive[slot] = 0;
      negative[slot] = 0;
      if (change < 0) {
        negative[slot] = flow;
        negativeSum += flow;
      } else if (change > 0) {
        positive[slot] = flow;
        positiveSum += flow;
      }
      slot = slot + 1 === n ? 0 : slot + 1;
      if (row < n) {
        out[i] = NaN;
        continue;
      }
      const total = positiveSum + negativeSum;
      out[i] = total < 1 ? 0 : 100 * (positiveSum / total);
    }
    this.slot = slot;
    this.seen = row;
    this.previousTypical = previousTypical;
    this.positiveSum = positiveSum;
    this.negativeSum = negativeSum;
  }
}
