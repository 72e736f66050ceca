import { ROW_IN, ROW_OUT } from './one-row';

/**
 * TA-Lib OBV: the first candle's value is its own volume (trading-signals starts at 0), then the
 * volume is added on a higher close and subtracted on a lower one.
 */
export class TaLibObv {
  private value = NaN;
  private previousClose = NaN;

  update(close: number, volume: number): number {
    ROW_IN[0][0] = close;
    ROW_IN[1][0] = volume;
    this.run(ROW_IN[0], ROW_IN[1], ROW_OUT[0], 0, 1);
    return ROW_OUT[0][0];
  }

  /** OBV of rows [from, to) into out; the state lives in locals meanwhile. */
  run(P: Float64Array, V: Float64Array, out: Float64Array, from: number, to: number): void {
    let value = this.value;
    let previousClose = this.previousClose;
    for (let i = from; i < to; i++) {
      const close = P[i]!;
      const volume = V[i]!;
      if (value !== value) value = volume;
      else if (close > previousClose) value += volume;
      else if (close < previousClose) value -= volume;
      previousClose = close;
      out[i] = value;
    }
    this.value = value;
    this.previousClose = previousClose;
  }

  /**
   * OBV is a running total from the first candle ever seen, so a stream rebuilt from recent
   * history must continue from the stored level of its last candle.
   */
  continueFrom(obvOfLastCandle: number): void {
    this.value = obvOfLastCandle;
  }
}
