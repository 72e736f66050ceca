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
    const values = this.values;
    const n = values.length;
    values[this.slot] = value;
    this.slot = this.slot + 1 === n ? 0 : this.slot + 1;
    if (this.count < n) this.count++;
    if (this.count < n) return false;

    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[i]!;
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (values[i]! - mean) * (values[i]! - mean);
    this.mean = mean;
    // A constant window must give exactly 0, not rounding noise. Its squares are that noise, far
    // below this bound, so only then is the window scanned (the result is the same as always
    // scanning, at a fraction of the cost).
    this.stdDev = squares <= CONSTANT_SUSPECT * mean * mean * n && isConstant(values) ? 0 : Math.sqrt(squares / n);
    return true;
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
