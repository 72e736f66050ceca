import { isTaLibZero, trueRange } from './talib-rules';

/**
 * TA-Lib's directional movement family with one shared state: PLUS_DI, MINUS_DI and ADX
 * (TA-Lib computes the three with identical smoothing, so one pass gives all three).
 *
 * Why not trading-signals: its DX counts both +DM and −DM when the up-move equals the down-move;
 * TA-Lib (and Wilder) count neither. It also seeds its TR smoothing with the first candle's
 * high−low. Both change ADX by up to a few points on real data.
 *
 * Rows: +DI/−DI from row `period`, ADX from row 2·period−1 (NaN before).
 */
export class TaLibDirectionalMovement {
  plusDi = NaN;
  minusDi = NaN;
  adx = NaN;
  private readonly period: number;
  private seen = 0;
  private previousHigh = NaN;
  private previousLow = NaN;
  private previousClose = NaN;
  private plusDm = 0;
  private minusDm = 0;
  private smoothedRange = 0;
  private sumDx = 0;

  constructor(period = 14) {
    this.period = period;
  }

  update(high: number, low: number, close: number): void {
    const row = this.seen++;
    const upMove = high - this.previousHigh;
    const downMove = this.previousLow - low;
    const range = trueRange(high, low, this.previousClose);
    this.previousHigh = high;
    this.previousLow = low;
    this.previousClose = close;
    if (row === 0) return;

    const n = this.period;
    if (row >= n) {
      this.minusDm -= this.minusDm / n;
      this.plusDm -= this.plusDm / n;
    }
    // Only the strictly larger positive move counts; on a tie neither does.
    if (downMove > 0 && upMove < downMove) this.minusDm += downMove;
    else if (upMove > 0 && upMove > downMove) this.plusDm += upMove;

    if (row < n) {
      this.smoothedRange += range;
      return;
    }
    this.smoothedRange = this.smoothedRange - this.smoothedRange / n + range;
    this.updateIndexes(row);
  }

  private updateIndexes(row: number): void {
    const n = this.period;
    if (isTaLibZero(this.smoothedRange)) {
      // TA-Lib outputs DI = 0 here and leaves the ADX (or its seed sum) unchanged.
      this.plusDi = 0;
      this.minusDi = 0;
      if (row === 2 * n - 1) this.adx = this.sumDx / n;
      return;
    }
    const minusDi = 100 * (this.minusDm / this.smoothedRange);
    const plusDi = 100 * (this.plusDm / this.smoothedRange);
    this.minusDi = minusDi;
    this.plusDi = plusDi;
    const diSum = minusDi + plusDi;
    const hasDx = !isTaLibZero(diSum);
    const dx = hasDx ? 100 * (Math.abs(minusDi - plusDi) / diSum) : 0;
    if (row < 2 * n - 1) {
      this.sumDx += dx;
    } else if (row === 2 * n - 1) {
      this.adx = (this.sumDx + dx) / n;
    } else if (hasDx) {
      this.adx = (this.adx * (n - 1) + dx) / n;
    }
  }
}
