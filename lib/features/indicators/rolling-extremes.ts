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
    const n = this.period;
    const row = this.seen++;
    const slot = this.slot;
    this.highs[slot] = high;
    this.lows[slot] = low;
    this.slot = slot + 1 === n ? 0 : slot + 1;
    const oldest = row - n + 1 > 0 ? row - n + 1 : 0;

    if (this.highestRow < oldest) this.rescanHighest(oldest, row);
    else if (high >= this.highest) {
      this.highest = high;
      this.highestRow = row;
    }
    if (this.lowestRow < oldest) this.rescanLowest(oldest, row);
    else if (low <= this.lowest) {
      this.lowest = low;
      this.lowestRow = row;
    }
    return row >= n - 1;
  }

  private rescanHighest(from: number, to: number): void {
    const n = this.period;
    this.highestRow = from;
    this.highest = this.highs[from % n];
    for (let r = from + 1; r <= to; r++) {
      if (this.highs[r % n] > this.highest) {
        this.highest = this.highs[r % n];
        this.highestRow = r;
      }
    }
  }

  private rescanLowest(from: number, to: number): void {
    const n = this.period;
    this.lowestRow = from;
    this.lowest = this.lows[from % n];
    for (let r = from + 1; r <= to; r++) {
      if (this.lows[r % n] < this.lowest) {
        this.lowest = this.lows[r % n];
        this.lowestRow = r;
      }
    }
  }
}

/** TA-Lib WILLR from a window's extremes: −100·(H − close)/(H − L), 0 when H = L. */
export function williamsR(extremes: RollingExtremes, close: number): number {
  const range = (extremes.highest - extremes.lowest) / -100;
  return range !== 0 ? (extremes.highest - close) / range : 0;
}
