import type { Candle } from '@/lib/market/candle';
import { COLUMN_INDEX as C, FEATURE_COLUMNS } from './definitions';
import { TaLibAtr } from './indicators/atr';
import { TaLibBollinger } from './indicators/bollinger';
import { TaLibCci } from './indicators/cci';
import { TaLibDirectionalMovement } from './indicators/directional';
import { distanceFrom, TaLibEma } from './indicators/ema';
import { TaLibMacd } from './indicators/macd';
import { TaLibMfi } from './indicators/mfi';
import { TaLibObv } from './indicators/obv';
import { RollingExtremes, williamsR } from './indicators/rolling-extremes';
import { History, RollingWindow } from './indicators/rolling-window';
import { TaLibRsi } from './indicators/rsi';
import { TaLibSma } from './indicators/sma';
import { TaLibStochastic } from './indicators/stochastic';
import { SessionVwap } from './indicators/session-vwap';

/**
 * The one implementation of every feature (definitions in ./definitions.ts). `step` folds one
 * candle into every indicator's state in O(1) amortised time (CCI and the 20/24-value windows
 * cost O(window)), then leaves the candle's features in `values`, ordered like
 * FEATURE_COLUMNS, with NaN for "no value". NaN keeps the buffer a plain Float64Array; inputs
 * are checked finite, so NaN never means anything else.
 *
 * Every indicator is a small TA-Lib-faithful kernel in ./indicators (same seeding, edge rules
 * and operation order, so values are bit-identical to TA-Lib's). trading-signals 8.3 was the
 * intended library, but it deviates from TA-Lib in most of these (each kernel says how), and the
 * ones it gets right (Bollinger, stochastic, SMA) re-scan their window and allocate on every
 * candle: with them a streaming update took ~3 µs instead of ~0.7 µs, which misses the speed
 * goals (bench/indicators.ts). tests/features/trading-signals.test.ts cross-checks those three.
 */
export class OhlcvFeatureEngine {
  readonly values = new Float64Array(FEATURE_COLUMNS.length).fill(NaN);
  /** Open time of the last candle folded in (-Infinity before the first). */
  lastTimestamp = -Infinity;

  readonly vwap = new SessionVwap();
  readonly atr = new TaLibAtr(14);
  readonly rsi = new TaLibRsi(14);
  readonly macd = new TaLibMacd(12, 26, 9);
  readonly bollinger = new TaLibBollinger(20, 2);
  readonly stochastic = new TaLibStochastic(3, 3);
  readonly extremes14 = new RollingExtremes(14);
  readonly cci = new TaLibCci(20);
  readonly directional = new TaLibDirectionalMovement(14);
  readonly obv = new TaLibObv();
  readonly mfi = new TaLibMfi(14);

  readonly closes = new History(25);
  readonly logReturns = new RollingWindow(24);
  readonly ema20 = new TaLibEma(20);
  readonly sma50 = new TaLibSma(50);
  readonly sma200 = new TaLibSma(200);
  readonly keltnerAtr = new TaLibAtr(10);
  readonly donchianExtremes = new RollingExtremes(20);
  readonly volumes = new RollingWindow(20);

  step(candle: Candle): void {
    const { timestamp, high, low, close, volume } = candle;
    this.checkInput(candle);
    const v = this.values;

    v[C.vwap] = this.vwap.update(timestamp, high, low, close, volume);
    v[C.atr] = this.atr.update(high, low, close);
    v[C.rsi] = this.rsi.update(close);

    this.macd.update(close);
    v[C.macd] = this.macd.macd;
    v[C.macd_signal] = this.macd.signal;
    v[C.macd_histogram] = this.macd.histogram;

    this.bollinger.update(close);
    v[C.bollinger_upper] = this.bollinger.upper;
    v[C.bollinger_middle] = this.bollinger.middle;
    v[C.bollinger_lower] = this.bollinger.lower;
    // %K and Williams %R read the same 14-candle extremes: one window serves both.
    const extremes = this.extremes14;
    if (extremes.update(high, low)) {
      v[C.williams_r] = williamsR(extremes, close);
      this.stochastic.update(extremes.highest, extremes.lowest, close);
      v[C.stoch_k] = this.stochastic.k;
      v[C.stoch_d] = this.stochastic.d;
    }
    v[C.cci] = this.cci.update(high, low, close);

    this.directional.update(high, low, close);
    v[C.adx] = this.directional.adx;
    v[C.plus_di] = this.directional.plusDi;
    v[C.minus_di] = this.directional.minusDi;

    v[C.obv] = this.obv.update(close, volume);
    v[C.mfi] = this.mfi.update(high, low, close, volume);

    this.stepReturns(close);
    v[C.dist_sma_20] = distanceFrom(close, this.bollinger.middle);
    const ema20 = this.ema20.update(close);
    v[C.dist_ema_20] = distanceFrom(close, ema20);
    v[C.dist_sma_50] = distanceFrom(close, this.sma50.update(close));
    v[C.dist_sma_200] = distanceFrom(close, this.sma200.update(close));

    // Keltner bands are EMA(20) ± 2·ATR(10): upper − lower is 4·ATR(10), computed directly to
    // avoid subtracting two nearly equal prices.
    v[C.keltner_width] = (4 * this.keltnerAtr.update(high, low, close)) / ema20;
    v[C.donchian_width] = this.donchianExtremes.update(high, low)
      ? (this.donchianExtremes.highest - this.donchianExtremes.lowest) / close
      : NaN;
    v[C.volume_zscore_20] =
      this.volumes.push(volume) && this.volumes.stdDev !== 0
        ? (volume - this.volumes.mean) / this.volumes.stdDev
        : NaN;
  }

  /** Continues OBV from a stored level (see TaLibObv.continueFrom). */
  continueObvFrom(obvOfLastCandle: number): void {
    this.obv.continueFrom(obvOfLastCandle);
    this.values[C.obv] = obvOfLastCandle;
  }

  private stepReturns(close: number): void {
    const v = this.values;
    const closes = this.closes;
    closes.push(close);
    const close1 = closes.ago(1);
    const close4 = closes.ago(4);
    const close10 = closes.ago(10);
    const close24 = closes.ago(24);
    v[C.return_1] = close / close1 - 1;
    v[C.return_4] = close / close4 - 1;
    v[C.return_24] = close / close24 - 1;
    const logReturn1 = Math.log(close / close1);
    v[C.log_return_1] = logReturn1;
    v[C.log_return_4] = Math.log(close / close4);
    v[C.log_return_24] = Math.log(close / close24);
    v[C.realized_vol_24] = logReturn1 === logReturn1 && this.logReturns.push(logReturn1) ? this.logReturns.stdDev : NaN;
    // TA-Lib's ROC formula and operation order (its zero-price guard cannot trigger: prices > 0).
    v[C.roc_10] = (close / close10 - 1) * 100;
  }

  private checkInput(candle: Candle): void {
    checkCandle(candle, this.lastTimestamp);
    this.lastTimestamp = candle.timestamp;
  }
}

/** Throws unless the candle is valid engine input and comes after `previousTimestamp`. */
export function checkCandle(candle: Candle, previousTimestamp: number): void {
  const { timestamp, open, high, low, close, volume } = candle;
  const finite = Number.isFinite(timestamp + open + high + low + close + volume);
  if (!finite || !(open > 0 && high > 0 && low > 0 && close > 0 && volume >= 0)) {
    throw new Error(
      `Candle at ${describeTime(timestamp)} has invalid values (timestamp and prices must be finite, ` +
        `prices > 0, volume >= 0): ${JSON.stringify(candle)}`,
    );
  }
  if (timestamp <= previousTimestamp) {
    throw new Error(
      `Candles must be in ascending time order without duplicates: ${describeTime(timestamp)} ` +
        `comes after ${describeTime(previousTimestamp)}`,
    );
  }
}

function describeTime(timestamp: number): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? 'invalid time' : date.toISOString();
}
