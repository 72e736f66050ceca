/**
 * Timeframes as ccxt and the table spell them ('1m', '4h', '1d', '1w'). Months have no fixed length
 * and no fixed grid, so they are not collectable here.
 */
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof UNIT_MS;

// Weekly candles open on Monday 00:00 UTC (as on Binance); the unix epoch was a Thursday.
const WEEK_OFFSET_MS = 4 * UNIT_MS.d;

export class TimeframeError extends Error {
  override name = 'TimeframeError';
}

function parse(timeframe: string): { count: number; unit: Unit } {
  const match = /^([1-9][0-9]*)([mhdw])$/.exec(timeframe);
  if (!match) throw new TimeframeError(`unsupported timeframe "${timeframe}": use minutes, hours, days or weeks such as 1m, 4h, 1d, 1w`);
  return { count: Number(match[1]), unit: match[2] as Unit };
}

export function timeframeMs(timeframe: string): number {
  const { count, unit } = parse(timeframe);
  return count * UNIT_MS[unit];
}

function gridOffset(timeframe: string): number {
  return parse(timeframe).unit === 'w' ? WEEK_OFFSET_MS : 0;
}

/** True when `timestamp` is a candle open time on the timeframe's UTC grid. */
export function isAligned(timestamp: number, timeframe: string): boolean {
  return (timestamp - gridOffset(timeframe)) % timeframeMs(timeframe) === 0;
}

/** The open time of the candle that contains `timestamp`. */
export function alignDown(timestamp: number, timeframe: string): number {
  const size = timeframeMs(timeframe);
  const offset = gridOffset(timeframe);
  return Math.floor((timestamp - offset) / size) * size + offset;
}

/** Open time of the newest candle that has closed by `now` (its close time is open + size). */
export function lastClosedOpenTime(now: number, timeframe: string): number {
  return alignDown(now, timeframe) - timeframeMs(timeframe);
}
