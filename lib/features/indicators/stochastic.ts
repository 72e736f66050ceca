import { RollingExtremes } from './rolling-extremes';
import { TaLibSma } from './sma';

/**
 * TA-Lib STOCH(fastK, slowK SMA, slowD SMA), the slow stochastic: fast %K over the window's
 * extremes (0 when the range is 0), %K = SMA of fast %K, %D = SMA of %K, with TA-Lib's running
 * sums so values are bit-identical. NaN until row fastK + slowK + slowD − 3.
 * trading-signals' StochasticOscillator agrees to ~1e-13 but allocates several arrays per candle.
 */
export class TaLibStochastic {
  k = NaN;
  d = NaN;
  private readonly extremes: RollingExtremes;
  private readonly slowK: TaLibSma;
  private readonly slowD: TaLibSma;

  constructor(fastKPeriod = 14, slowKPeriod = 3, slowDPeriod = 3) {
    this.extremes = new RollingExtremes(fastKPeriod);
    this.slowK = new TaLibSma(slowKPeriod);
    this.slowD = new TaLibSma(slowDPeriod);
  }

  update(high: number, low: number, close: number): void {
    if (!this.extremes.update(high, low)) return;
    const { highest, lowest } = this.extremes;
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
