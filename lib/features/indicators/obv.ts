/**
 * TA-Lib OBV: the first candle's value is its own volume (trading-signals starts at 0), then the
 * volume is added on a higher close and subtracted on a lower one.
 */
export class TaLibObv {
  private value = NaN;
  private previousClose = NaN;

  update(close: number, volume: number): number {
    if (this.value !== this.value) this.value = volume;
    else if (close > this.previousClose) this.value += volume;
    else if (close < this.previousClose) this.value -= volume;
    this.previousClose = close;
    return this.value;
  }

  /**
   * OBV is a running total from the first candle ever seen, so a stream rebuilt from recent
   * history must continue from the stored level of its last candle.
   */
  continueFrom(obvOfLastCandle: number): void {
    this.value = obvOfLastCandle;
  }
}
