import { ROW_IN, ROW_OUT } from './one-row';
import { typicalPrice } from './talib-rules';
import { DAY_MS } from '../../market/time';

/**
 * Session VWAP on typical price, reset when the candle's open time enters a new UTC day.
 * With no volume yet in the session (the first candles of a day can be empty) there is no
 * weighted average, so the current typical price stands in rather than a gap or a division by 0.
 */
export class SessionVwap {
  private session = NaN;
  private priceVolume = 0;
  private volume = 0;

  update(timestamp: number, high: number, low: number, close: number, volume: number): number {
    ROW_IN[0][0] = timestamp;
    ROW_IN[1][0] = high;
    ROW_IN[2][0] = low;
    ROW_IN[3][0] = close;
    ROW_IN[4][0] = volume;
    this.run(ROW_IN[0], ROW_IN[1], ROW_IN[2], ROW_IN[3], ROW_IN[4], ROW_OUT[0], 0, 1);
    return ROW_OUT[0][0];
  }

  /** VWAP of rows [from, to) into out; the state lives in locals meanwhile. */
  run(T: Float64Array, H: Float64Array, L: Float64Array, P: Float64Array, V: Float64Array, out: Float64Array, from: number, to: number): void {
    let session = this.session;
    let priceVolume = this.priceVolume;
    let sessionVolume = this.volume;
    // Imports go to locals before hot loops (talib-rules.ts).
    const typicalOf = typicalPrice;
    for (let i = from; i < to; i++) {
      const day = Math.floor(T[i]! / DAY_MS);
      if (day !== session) {
        session = day;
        priceVolume = 0;
        sessionVolume = 0;
      }
      const typical = typicalOf(H[i]!, L[i]!, P[i]!);
      const volume = V[i]!;
      priceVolume += typical * volume;
      sessionVolume += volume;
      out[i] = sessionVolume > 0 ? priceVolume / sessionVolume : typical;
    }
    this.session = session;
    this.priceVolume = priceVolume;
    this.volume = sessionVolume;
  }
}
