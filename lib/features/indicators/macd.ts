import { TaLibEma } from './ema';
import { ROW_IN, ROW_OUT } from './one-row';

/**
 * TA-Lib MACD (TA_INT_MACD). TA-Lib seeds the slow EMA with the mean of the first `slow`
 * closes and the fast EMA with the mean of the `fast` closes ending at the same candle
 * (closes slow−fast .. slow−1), so both start together; the signal EMA is seeded with the mean of
 * the first `signal` MACD values. Nothing is output before the signal exists (row slow+signal−2).
 */
export class TaLibMacd {
  macd = NaN;
  signal = NaN;
  histogram = NaN;
  private readonly fastEma: TaLibEma;
  private readonly slowEma: TaLibEma;
  private readonly signalEma: TaLibEma;
  private readonly fastStartsAt: number;
  private seen = 0;

  constructor(fast = 12, slow = 26, signal = 9) {
    this.fastEma = new TaLibEma(fast);
    this.slowEma = new TaLibEma(slow);
    this.signalEma = new TaLibEma(signal);
    this.fastStartsAt = slow - fast;
  }

  update(close: number): void {
    ROW_IN[0][0] = close;
    this.run(ROW_IN[0], ROW_OUT[0], ROW_OUT[1], ROW_OUT[2], 0, 1);
  }

  /**
   * MACD, signal and histogram of rows [from, to), one EMA pass at a time with the outputs as
   * scratch: the slow EMA goes to the histogram column, the fast one to the signal column, their
   * difference (the MACD line, once the slow EMA exists) to the MACD column, and the signal EMA of
   * that line over the fast values. Rows before the signal exists get the fields (NaN).
   */
  run(P: Float64Array, macdOut: Float64Array, signalOut: Float64Array, histogramOut: Float64Array, from: number, to: number): void {
    const count = to - from;
    const seen = this.seen;
    const fastFrom = from + Math.min(count, Math.max(0, this.fastStartsAt - seen));
    const lineFrom = from + Math.min(count, Math.max(0, this.slowEma.period - 1 - seen));
    this.slowEma.run(P, histogramOut, from, to);
    this.fastEma.run(P, signalOut, fastFrom, to);
    macdLine(signalOut, histogramOut, macdOut, fastFrom, lineFrom, to);
    this.signalEma.run(macdOut, signalOut, lineFrom, to);
    this.settle(macdOut, signalOut, histogramOut, from, lineFrom, to);
    this.seen = seen + count;
  }

  /**
   * Rows [from, to) get the three values once the signal exists (from lineFrom on, where the
   * signal column is not NaN), the fields before; the fields end with the last row's. Each loop
   * of the family is a function of its own (see kernel.ts, runReturns).
   */
  private settle(macdOut: Float64Array, signalOut: Float64Array, histogramOut: Float64Array, from: number, lineFrom: number, to: number): void {
    let { macd, signal, histogram } = this;
    for (let i = from; i < to; i++) {
      if (i >= lineFrom && signalOut[i] === signalOut[i]) {
        macd = macdOut[i]!;
        signal = signalOut[i]!;
        histogram = macd - signal;
      }
      macdOut[i] = macd;
      signalOut[i] = signal;
      histogramOut[i] = histogram;
    }
    this.macd = macd;
    this.signal = signal;
    this.histogram = histogram;
  }
}

/** The MACD line fast − slow for rows [lineFrom, to) (NaN before fastFrom, where the fast EMA has no value yet). */
function macdLine(fast: Float64Array, slow: Float64Array, line: Float64Array, fastFrom: number, lineFrom: number, to: number): void {
  for (let i = lineFrom; i < to; i++) line[i] = (i < fastFrom ? NaN : fast[i]!) - slow[i]!;
}
