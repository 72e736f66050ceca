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
    const n = this.period;
    const typical = typicalPrice(high, low, close);
    const values = this.typicals;
    values[this.slot] = typical;
    this.slot = this.slot + 1 === n ? 0 : this.slot + 1;
    if (++this.seen < n) return NaN;

    let average = 0;
    for (let j = 0; j < n; j++) average += values[j];
    average /= n;
    let deviation = 0;
    for (let j = 0; j < n; j++) deviation += Math.abs(values[j] - average);
    const fromAverage = typical - average;
    return fromAverage !== 0 && deviation !== 0 ? fromAverage / (0.015 * (deviation / n)) : 0;
  }
}
