/**
 * TA-Lib treats |v| < 1e-14 as zero in its division guards (`TA_IS_ZERO` in ta_utility.h).
 * Matching it keeps our outputs identical to TA-Lib's on flat or near-flat stretches.
 */
export function isTaLibZero(value: number): boolean {
  return value > -1e-14 && value < 1e-14;
}

/** True range as TA-Lib's TRANGE: the largest of high−low, |high−prevClose|, |low−prevClose|. */
export function trueRange(high: number, low: number, previousClose: number): number {
  let greatest = high - low;
  const toHigh = Math.abs(previousClose - high);
  if (toHigh > greatest) greatest = toHigh;
  const toLow = Math.abs(previousClose - low);
  if (toLow > greatest) greatest = toLow;
  return greatest;
}

/** Typical price, summed in TA-Lib's order so results stay bit-identical. */
export function typicalPrice(high: number, low: number, close: number): number {
  return (high + low + close) / 3;
}
