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
    const session = Math.floor(timestamp / DAY_MS);
    if (session !== this.session) {
      this.session = session;
      this.priceVolume = 0;
      this.volume = 0;
    }
    const typical = typicalPrice(high, low, close);
    this.priceVolume += typical * volume;
    this.volume += volume;
    return this.volume > 0 ? this.priceVolume / this.volume : typical;
  }
}
