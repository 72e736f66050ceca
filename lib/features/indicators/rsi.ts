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
    const row = this.seen++;
    const change = close - this.previous;
    this.previous = close;
    if (row === 0) return NaN;
    const n = this.period;
    if (row > n) {
      this.loss *= n - 1;
      this.gain *= n - 1;
    }
    if (change < 0) this.loss -= change;
    else this.gain += change;
    if (row < n) return NaN;
    this.loss /= n;
    this.gain /= n;
    const total = this.gain + this.loss;
    return isTaLibZero(total) ? 0 : 100 * (this.gain / total);
  }
}
