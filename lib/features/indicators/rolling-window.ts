import { ROW_IN, ROW_OUT } from './one-row';

// (n·ε)² per value with n ≤ 10⁴ and ε = 2⁻⁵² is ~5e-24: a generous bound for rounding noise.
const CONSTANT_SUSPECT = 1e-20;

function isConstant(values: Float64Array): boolean {
  const first = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return false;
  return true;
}

/**
 * The last `size` values of a series with their mean and population standard deviation,
 * recomputed from the window (two passes, O(size)) so they depend on the window only: a stream
 * rebuilt from history gets the same bits, and a constant window gives exactly 0, not rounding
 * noise.
 */
export class RollingWindow {
  mean = NaN;
  stdDev = NaN;
  private readonly values: Float64Array;
  private slot = 0;
  private count = 0;

  constructor(size: number) {
    this.values = new Float64Array(size);
  }

  /** Adds a value; returns true (with `mean` and `stdDev` set) once the window is full. */
  push(value: number): boolean {
    ROW_IN[0][0] = value;
    this.run(ROW_IN[0], ROW_OUT[0], 0, 1, false);
    return this.count === this.values.length;
  }

  /**
   * Pushes X[from, to) and writes, per row, the standard deviation, or with `zScore` the value's
   * z-score (NaN when the deviation is 0); NaN while the window is not full.
   */
  run(X: Float64Array, out: Float64Array, from: number, to: number, zScore: boolean): void {
    const values = this.values;
    const n = values.length;
    let { slot, count, mean, stdDev } = this;
    // The sum runs over the buffer from slot 0 on every row. Slots 0..slot were all written in
    // the current lap, so the sum up to the new value's slot is the previous row's partial sum
    // plus that value (the same additions in the same order): only slot+1..n−1 are added anew.
    let head = 0;
    for (let j = 0; j < slot; j++) head += values[j]!;
    for (let i = from; i < to; i++) {
      const value = X[i]!;
      values[slot] = value;
      head = slot === 0 ? 0 + value : head + value;
      const current = slot;
      slot = slot + 1 === n ? 0 : slot + 1;
      if (count < n) count++;
      if (count < n) {
        out[i] = NaN;
        continue;
      }
      let sum = head;
      for (let j = current + 1; j < n; j++) sum += values[j]!;
      mean = sum / n;
      let squares = 0;
      for (let j = 0; j < n; j++) squares += (values[j]! - mean) * (values[j]! - mean);
      // A constant window must give exactly 0, not rounding noise. Its squares are that noise, far
      // below this bound, so only then is the window scanned (the result is the same as always
      // scanning, at a fraction of the cost).
      stdDev = squares <= CONSTANT_SUSPECT * mean * mean * n && isConstant(values) ? 0 : Math.sqrt(squares / n);
      out[i] = zScore ? (stdDev !== 0 ? (value - mean) / stdDev : NaN) : stdDev;
    }
    this.slot = slot;
    this.count = count;
    this.mean = mean;
    this.stdDev = stdDev;
  }
}

/** The last `size` values, to look back a fixed number of steps. */
export class History {
  private readonly values: Float64Array;
  private count = 0;

  constructor(size: number) {
    this.values = new Float64Array(size);
  }

  push(value: number): void {
    this.values[this.count % this.values.length] = value;
    this.count++;
  }

  /** Pushes values[from..to) in order; only the last `size` of them need storing. */
  pushMany(values: ArrayLike<number>, from: number, to: number): void {
    const start = Math.max(from, to - this.values.length);
    this.count += start - from;
    for (let i = start; i < to; i++) this.push(values[i]!);
  }

  /** The value `stepsBack` pushes before the latest (0 = latest), or NaN if not seen yet. */
  ago(stepsBack: number): number {
    const index = this.count - 1 - stepsBack;
    return index >= 0 ? this.values[index % this.values.length] : NaN;
  }
}
