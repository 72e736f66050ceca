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
    const row = this.seen++;
    const typical = typicalPrice(high, low, close);
    const change = typical - this.previousTypical;
    this.previousTypical = typical;
    if (row === 0) return NaN;

    const slot = this.slot;
    if (row > this.period) {
      this.positiveSum -= this.positive[slot];
      this.negativeSum -= this.negative[slot];
    }
    const flow = typical * volume;
    this.positive[slot] = 0;
    this.negative[slot] = 0;
    if (change < 0) {
      this.negative[slot] = flow;
      this.negativeSum += flow;
    } else if (change > 0) {
      this.positive[slot] = flow;
      this.positiveSum += flow;
    }
    this.slot = slot + 1 === this.period ? 0 : slot + 1;
    if (row < this.period) return NaN;

    const total = this.positiveSum + this.negativeSum;
    return total < 1 ? 0 : 100 * (this.positiveSum / total);
  }
}
