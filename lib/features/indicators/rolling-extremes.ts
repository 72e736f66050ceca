import { ROW_IN, ROW_OUT } from './one-row';

/**
 * Highest high and lowest low of the last `period` candles. Like TA-Lib's WILLR/STOCH, the
 * index of each extreme is remembered and the window is rescanned only when that extreme
 * leaves it, so the cost is O(1) on average.
 */
export class RollingExtremes {
  highest = NaN;
  lowest = NaN;
  private readonly period: number;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  private seen = 0;
  private slot = 0;
  private highestRow = -1;
  private lowestRow = -1;

  constructor(period: number) {
    this.period = period;
    this.highs = new Float64Array(period);
    this.lows = new Float64Array(period);
  }

  /** True once the window holds `period` candles. */
  update(high: number, low: number): boolean {
    ROW_IN[0][0] = high;
    ROW_IN[1][0] = low;
    return this.run(ROW_IN[0], ROW_IN[1], ROW_OUT[0], ROW_OUT[1], 0, 1) === 0;
  }

  /**
   * The extremes after each of rows [from, to) into the two outputs, NaN while the window is not
   * full yet; returns the first of those rows whose window is full (`to` if none).
   */
  run(H: Float64Array, L: Float64Array, highestOut: Float64Array, lowestOut: Float64Array, from: number, to: number): number {
    const n = this.period;
    const highs = this.highs;
    const lows = this.lows;
    let { highest, lowest, highestRow, lowestRow, slot } = this;
    let row = this.seen;
    const firstFull = from + Math.min(to - from, Math.max(0, n - 1 - row));
    for (let i = from; i < to; i++, row++) {
      const high = H[i]!;
      const low = L[i]!;
      highs[slot] = high;
      lows[slot] = low;
      slot = slot + 1 === n ? 0 : slot + 1;
      const oldest = row - n + 1 > 0 ? row - n + 1 : 0;
      // The window's rows oldest..row sit in slots oldest % n onwards, wrapping at n.
      if (highestRow < oldest) {
        let s = oldest % n;
        highestRow = oldest;
        highest = highs[s]!;
        for (let r = oldest + 1; r <= row; r++) {
          s = s + 1 === n ? 0 : s + 1;
          if (highs[s]! > highest) {
            highest = highs[s]!;
            highestRow = r;
          }
        }
      } else if (high >= highest) {
        highest = high;
        highestRow = row;
      }
      if (lowestRow < oldest) {
        let s = oldest % n;
        lowestRow = oldest;
        lowest = lows[s]!;
        for (let r = oldest + 1; r <= row; r++) {
          s = s + 1 === n ? 0 : s + 1;
          if (lows[s]! < lowest) {
            lowest = lows[s]!;
            lowestRow = r;
          }
        }
      } else if (low <= lowest) {
        lowest = low;
        lowestRow = row;
      }
      const full = i >= firstFull;
      highestOut[i] = full ? highest : NaN;
      lowestOut[i] = full ? lowest : NaN;
    }
    this.seen = row;
    this.slot = slot;
    this.highest = highest;
    this.lowest = lowest;
    this.highestRow = highestRow;
    this.lowestRow = lowestRow;
    return firstFull;
  }
}

/** TA-Lib WILLR from a window's extremes: −100·(H − close)/(H − L), 0 when H = L. */
export function williamsR(extremes: RollingExtremes, close: number): number {
  return williamsRFrom(extremes.highest, extremes.lowest, close);
}

/** The same from the two extremes (NaN when they are NaN). */
export function williamsRFrom(highest: number, lowest: number, close: number): number {
  const range = (highest - lowest) / -100;
  return range !== 0 ? (highest - close) / range : 0;
}
