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
    const row = this.seen++;
    const previousClose = this.previousClose;
    this.previousClose = close;
    if (row === 0) return NaN;
    const range = trueRange(high, low, previousClose);
    const n = this.period;
    if (row < n) {
      this.seedSum += range;
    } else if (row === n) {
      this.value = (this.seedSum + range) / n;
    } else {
      this.value = (this.value * (n - 1) + range) / n;
    }
    return this.value;
  }
}
