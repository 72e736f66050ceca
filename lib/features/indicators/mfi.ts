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

  /**
   * MFI of rows [from, to) into out; the state lives in locals meanwhile. Past the warm-up the
   * flow goes to its side by selects, not branches (the typical price's direction is a coin flip
   * the CPU would mispredict); adding 0 leaves the sums' bits unchanged (they are never −0).
   */
  run(H: Float64Array, L: Float64Array, P: Float64Array, V: Float64Array, out: Float64Array, from: number, to: number): void {
    const n = this.period;
    const positive = this.positive;
    const negative = this.negative;
    let slot = this.slot;
    let row = this.seen;
    let previousTypical = this.previousTypical;
    let positiveSum = this.positiveSum;
    let negativeSum = this.negativeSum;
    // Imports go to locals before hot loops (talib-rules.ts).
    const typicalOf = typicalPrice;
    let i = from;
    for (; i < to && row <= n; i++, row++) {
      const typical = typicalOf(H[i]!, L[i]!, P[i]!);
      const change = typical - previousTypical;
      previousTypical = typical;
      if (row === 0) {
        out[i] = NaN;
        continue;
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
      out[i] = row < n ? NaN : mfiOf(positiveSum, negativeSum);
    }
    row += to - i;
    for (; i < to; i++) {
      const typical = typicalOf(H[i]!, L[i]!, P[i]!);
      const change = typical - previousTypical;
      previousTypical = typical;
      positiveSum -= positive[slot]!;
      negativeSum -= negative[slot]!;
      const flow = typical * V[i]!;
      const down = change < 0 ? flow : 0;
      const up = change > 0 ? flow : 0;
      negative[slot] = down;
      positive[slot] = up;
      negativeSum += down;
      positiveSum += up;
      slot = slot + 1 === n ? 0 : slot + 1;
      out[i] = mfiOf(positiveSum, negativeSum);
    }
    this.slot = slot;
    this.seen = row;
    this.previousTypical = previousTypical;
    this.positiveSum = positiveSum;
    this.negativeSum = negativeSum;
  }
}

/** TA-Lib's 100·pos/(pos + neg), 0 when the total is below 1. */
function mfiOf(positiveSum: number, negativeSum: number): number {
  const total = positiveSum + negativeSum;
  return total < 1 ? 0 : 100 * (positiveSum / total);
}
