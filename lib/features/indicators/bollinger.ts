import { ROW_IN, ROW_OUT } from './one-row';
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
    ROW_IN[0][0] = close;
    this.run(ROW_IN[0], ROW_OUT[0], ROW_OUT[1], ROW_OUT[2], 0, 1);
  }

  /** The bands of rows [from, to): the SMA pass writes the middle band, a second pass the others. */
  run(P: Float64Array, upperOut: Float64Array, middleOut: Float64Array, lowerOut: Float64Array, from: number, to: number): void {
    this.sma.run(P, middleOut, from, to);
    const n = this.period;
    const deviations = this.deviations;
    const squares = this.squares;
    let seen = this.seen;
    let squaresTotal = this.squaresTotal;
    let slot = seen % n;
    let { upper, middle, lower } = this;
    for (let i = from; i < to; i++) {
      const close = P[i]!;
      const square = close * close;
      squares[slot] = square;
      slot = slot + 1 === n ? 0 : slot + 1;
      seen++;
      squaresTotal += square;
      if (seen >= n) {
        const average = middleOut[i]!;
        let variance = squaresTotal / n;
        squaresTotal -= squares[slot]!;
        variance -= average * average;
        const width = (variance < 1e-14 ? 0 : Math.sqrt(variance)) * deviations;
        middle = average;
        upper = average + width;
        lower = average - width;
      }
      upperOut[i] = upper;
      middleOut[i] = middle;
      lowerOut[i] = lower;
    }
    this.seen = seen;
    this.squaresTotal = squaresTotal;
    this.upper = upper;
    this.middle = middle;
    this.lower = lower;
  }
}
