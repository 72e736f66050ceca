import { ROW_IN, ROW_OUT } from './one-row';
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
    ROW_IN[0][0] = highest;
    ROW_IN[1][0] = lowest;
    ROW_IN[2][0] = close;
    this.run(ROW_IN[0], ROW_IN[1], ROW_IN[2], ROW_OUT[0], ROW_OUT[1], 0, 1);
  }

  /**
   * %K and %D of rows [from, to), one pass at a time; the outputs may be the extremes' columns
   * (each row is read before it is written). Fast %K goes to kOut, its SMA replaces it there,
   * and %D of the defined %K values goes to dOut; rows before %D exists get the fields (NaN).
   */
  run(HI: Float64Array, LO: Float64Array, P: Float64Array, kOut: Float64Array, dOut: Float64Array, from: number, to: number): void {
    fastK(HI, LO, P, kOut, from, to);
    this.slowK.run(kOut, kOut, from, to);
    // Fast %K is always a number, so %K is NaN only while its SMA warms up.
    let kFrom = from;
    while (kFrom < to && kOut[kFrom] !== kOut[kFrom]) kFrom++;
    this.slowD.run(kOut, dOut, kFrom, to);
    this.settle(kOut, dOut, from, kFrom, to);
  }

  /** Rows [from, to) get %K and %D once %D exists, the fields before (each loop is a function of its own: kernel.ts, runReturns). */
  private settle(kOut: Float64Array, dOut: Float64Array, from: number, kFrom: number, to: number): void {
    let { k, d } = this;
    for (let i = from; i < to; i++) {
      if (i >= kFrom && dOut[i] === dOut[i]) {
        k = kOut[i]!;
        d = dOut[i]!;
      }
      kOut[i] = k;
      dOut[i] = d;
    }
    this.k = k;
    this.d = d;
  }
}

/** Fast %K, 100·(close − lowest)/(highest − lowest) in TA-Lib's order, 0 when the range is 0. */
function fastK(HI: Float64Array, LO: Float64Array, P: Float64Array, kOut: Float64Array, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const lowest = LO[i]!;
    const range = (HI[i]! - lowest) / 100;
    kOut[i] = range !== 0 ? (P[i]! - lowest) / range : 0;
  }
}
