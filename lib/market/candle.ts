/** One OHLCV candle. `timestamp` is the candle's open time in unix milliseconds (UTC). */
export interface Candle {
  timestamp: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}
