import { TaLibEma } from './ema';

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
    const slow = this.slowEma.update(close);
    const fast = this.seen >= this.fastStartsAt ? this.fastEma.update(close) : NaN;
    this.seen++;
    if (slow !== slow) return;
    const macd = fast - slow;
    const signal = this.signalEma.update(macd);
    if (signal !== signal) return;
    this.macd = macd;
    this.signal = signal;
    this.histogram = macd - signal;
  }
}
