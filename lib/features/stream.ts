import type { Candle } from '@/lib/market/candle';
import type { OhlcvFeatures } from './definitions';
import { OhlcvFeatureEngine } from './engine';

/**
 * How many stored candles to replay after a restart so every feature matches an uninterrupted
 * stream. The slowest-forgetting state is Wilder's 1/14 smoothing inside ADX (error shrinks by
 * 13/14 per candle) and the EMA(26) of MACD (25/27): 1,000 candles leave differences far below
 * 1e-8 (tests/features/stream.test.ts measures it). The window features (SMA200, bands,
 * stochastic, returns, volatility) need only their window; VWAP needs every candle of the current
 * UTC day so far, which 1,000 candles cover for timeframes of 2 minutes and up (for 1-minute
 * candles replay from 00:00 UTC, up to 1,440). OBV is a total since the first candle ever: pass
 * the last stored OBV.
 */
export const RESTORE_HISTORY_CANDLES = 1000;

export interface RestoreOptions {
  /** The stored `obv` of the last history candle, so OBV continues at the same level. */
  obv?: number | null;
}

/**
 * Computes all features one candle at a time, keeping only the indicators' state. Candles must
 * arrive in ascending time order without duplicates; `update` throws otherwise.
 */
export class OhlcvFeatureStream {
  private readonly engine = new OhlcvFeatureEngine();

  /** Folds in the next candle and returns its features. */
  update(candle: Candle): OhlcvFeatures {
    this.engine.step(candle);
    return toFeatureRow(this.engine.values);
  }

  /**
   * Rebuilds a stream after a restart by replaying stored candles (ascending, the last one being
   * the newest already processed); use at least RESTORE_HISTORY_CANDLES of them.
   */
  static fromHistory(history: readonly Candle[], options: RestoreOptions = {}): OhlcvFeatureStream {
    const stream = new OhlcvFeatureStream();
    for (const candle of history) stream.engine.step(candle);
    if (options.obv != null && history.length > 0) stream.engine.continueObvFrom(options.obv);
    return stream;
  }
}

/** The engine's flat values as a row; NaN marks "no value" there and becomes null here. */
export function toFeatureRow(v: Float64Array): OhlcvFeatures {
  // An object literal (rather than a loop) gives every row the same compact shape quickly.
  return {
    vwap: orNull(v[0]),
    atr: orNull(v[1]),
    rsi: orNull(v[2]),
    macd: orNull(v[3]),
    macd_signal: orNull(v[4]),
    macd_histogram: orNull(v[5]),
    bollinger_upper: orNull(v[6]),
    bollinger_middle: orNull(v[7]),
    bollinger_lower: orNull(v[8]),
    stoch_k: orNull(v[9]),
    stoch_d: orNull(v[10]),
    williams_r: orNull(v[11]),
    cci: orNull(v[12]),
    adx: orNull(v[13]),
    obv: orNull(v[14]),
    mfi: orNull(v[15]),
    return_1: orNull(v[16]),
    return_4: orNull(v[17]),
    return_24: orNull(v[18]),
    log_return_1: orNull(v[19]),
    log_return_4: orNull(v[20]),
    log_return_24: orNull(v[21]),
    realized_vol_24: orNull(v[22]),
    dist_sma_20: orNull(v[23]),
    dist_ema_20: orNull(v[24]),
    dist_sma_50: orNull(v[25]),
    dist_sma_200: orNull(v[26]),
    plus_di: orNull(v[27]),
    minus_di: orNull(v[28]),
    roc_10: orNull(v[29]),
    keltner_width: orNull(v[30]),
    donchian_width: orNull(v[31]),
    volume_zscore_20: orNull(v[32]),
  };
}

function orNull(value: number): number | null {
  return value === value ? value : null;
}
