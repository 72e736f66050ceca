import { TaLibSma } from './sma';

/**
 * TA-Lib STOCH(fastK, slowK SMA, slowD SMA), the slow stochastic: fast %K over the window's
 * extremes (0 when the range is 0), %K = SMA of fast %K, %D = SMA of %K, with TA-Lib's running
 * sums so values are bit-identical. NaN until row fastK + slowK + slowD − 3.
 * trading-signals' StochasticOscillator agrees to ~1e-13 but allocates several arrays per candle.
 * The window's extremes come from the caller (a RollingExtremes of fastK candles, shared with
 * Williams %R), once that window is full.
 */
export class TaLibStochastic {
  k = NaN;
  d = NaN;
  private readonly slowK: TaLibSma;
  private readonly slowD: TaLibSma;

  constructor(slowKPeriod = 3, slowDPeriod = 3) {
    this.slowK = new TaLibSma(slowKPeriod);
    this.slowD = new TaLibSma(slowDPeriod);
  }

  update(highest: number, lowest: number, close: number): void {
    const range = (highest - lowest) / 100;
    const fastK = range !== 0 ? (close - lowest) / range : 0;
    const k = this.slowK.update(fastK);
    if (k !== k) return;
    const d = this.slowD.update(k);
    if (d !== d) return;
    this.k = k;
    this.d = d;
  }
}
