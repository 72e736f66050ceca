import { TaLibSma } from './sma';

/**
 * TA-Lib BBANDS with an SMA middle band: the population standard deviation comes from a running
 * sum of squares minus the squared SMA (TA_INT_stddev_using_precalc_ma), clamped to 0 below
 * 1e-14 as TA-Lib does, in TA-Lib's operation order so the bands are bit-identical.
 * trading-signals' BollingerBands agrees to ~1e-13 but re-scans and copies its window on every
 * candle (about 10× slower).
 */
export class TaLibBollinger {
  upper = NaN;
  middle = NaN;
  lower = NaN;
  private readonly period: number;
  private readonly deviations: number;
  private readonly sma: TaLibSma;
  private readonly squares: Float64Array;
  private seen = 0;
  private squaresTotal = 0;

  constructor(period = 20, deviations = 2) {
    this.period = period;
    this.deviations = deviations;
    this.sma = new TaLibSma(period);
    this.squares = new Float64Array(period);
  }

  update(close: number): void {
    const n = this.period;
    const middle = this.sma.update(close);
    const square = close * close;
    this.squares[this.seen % n] = square;
    this.seen++;
    this.squaresTotal += square;
    if (this.seen < n) return;
    let variance = this.squaresTotal / n;
    this.squaresTotal -= this.squares[this.seen % n];
    variance -= middle * middle;
    const width = (variance < 1e-14 ? 0 : Math.sqrt(variance)) * this.deviations;
    this.middle = middle;
    this.upper = middle + width;
    this.lower = middle - width;
  }
}
