import { ROW_IN, ROW_OUT } from './one-row';
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
    ROW_IN[0][0] = high;
    ROW_IN[1][0] = low;
    ROW_IN[2][0] = close;
    this.run(ROW_IN[0], ROW_IN[1], ROW_IN[2], ROW_OUT[0], ROW_OUT[1], ROW_OUT[2], 0, 1);
  }

  /**
   * ADX, +DI and −DI of rows [from, to) into the three outputs (each row gets the values the
   * fields hold after it); the state lives in locals meanwhile.
   */
  run(H: Float64Array, L: Float64Array, P: Float64Array, adxOut: Float64Array, plusOut: Float64Array, minusOut: Float64Array, from: number, to: number): void {
    const n = this.period;
    const adxFrom = 2 * n - 1;
    let row = this.seen;
    let previousHigh = this.previousHigh;
    let previousLow = this.previousLow;
    let previousClose = this.previousClose;
    let plusDm = this.plusDm;
    let minusDm = this.minusDm;
    let smoothedRange = this.smoothedRange;
    let sumDx = this.sumDx;
    let plusDi = this.plusDi;
    let minusDi = this.minusDi;
    let adx = this.adx;
    // Imports go to locals before hot loops (talib-rules.ts).
    const rangeOf = trueRange;
    const isZero = isTaLibZero;
    for (let i = from; i < to; i++, row++) {
      const high = H[i]!;
      const low = L[i]!;
      const upMove = high - previousHigh;
      const downMove = previousLow - low;
      const range = rangeOf(high, low, previousClose);
      previousHigh = high;
      previousLow = low;
      previousClose = P[i]!;
      if (row > 0) {
        if (row >= n) {
          minusDm -= minusDm / n;
          plusDm -= plusDm / n;
        }
        // Only the strictly larger positive move counts; on a tie neither does. Selects, not
        // branches (which move wins is a coin flip the CPU would mispredict), and adding 0 leaves
        // the sums' bits unchanged (they are never −0).
        minusDm += downMove > (upMove > 0 ? upMove : 0) ? downMove : 0;
        plusDm += upMove > (downMove > 0 ? downMove : 0) ? upMove : 0;

        if (row < n) smoothedRange += range;
        else {
          smoothedRange = smoothedRange - smoothedRange / n + range;
          if (isZero(smoothedRange)) {
            // TA-Lib outputs DI = 0 here and leaves the ADX (or its seed sum) unchanged.
            plusDi = 0;
            minusDi = 0;
            if (row === adxFrom) adx = sumDx / n;
          } else {
            minusDi = 100 * (minusDm / smoothedRange);
            plusDi = 100 * (plusDm / smoothedRange);
            const diSum = minusDi + plusDi;
            const hasDx = !isZero(diSum);
            const dx = hasDx ? 100 * (Math.abs(minusDi - plusDi) / diSum) : 0;
            if (row < adxFrom) sumDx += dx;
            else if (row === adxFrom) adx = (sumDx + dx) / n;
            else if (hasDx) adx = (adx * (n - 1) + dx) / n;
          }
        }
      }
      adxOut[i] = adx;
      plusOut[i] = plusDi;
      minusOut[i] = minusDi;
    }
    this.seen = row;
    this.previousHigh = previousHigh;
    this.previousLow = previousLow;
    this.previousClose = previousClose;
    this.plusDm = plusDm;
    this.minusDm = minusDm;
    this.smoothedRange = smoothedRange;
    this.sumDx = sumDx;
    this.plusDi = plusDi;
    this.minusDi = minusDi;
    this.adx = adx;
  }
}
