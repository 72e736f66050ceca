import { DAY_MS, parseDuration, durationMs } from './time';
import { DomainError, type DomainErrorOptions } from '../errors';

/**
 * Timeframes as ccxt and the table spell them ('1m', '4h', '1d', '1w'). TIMEFRAMES is the one list
 * of what can be tracked and asked for; adding one here adds it to the configuration, the API and
 * the pages. Months have no fixed length and no fixed grid, so they are not collectable here.
 */
export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '1w'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

/** What the worker collects unless TRACKED_TIMEFRAMES says otherwise. */
export const DEFAULT_TRACKED_TIMEFRAMES: readonly Timeframe[] = ['1m', '5m', '15m', '1h', '4h', '1d'];

export function isTimeframe(text: string): text is Timeframe {
  return (TIMEFRAMES as readonly string[]).includes(text);
}

/** Sort order of timeframes: shortest first; anything unknown after them. */
export function compareTimeframes(a: string, b: string): number {
  const rank = (t: string) => (isTimeframe(t) ? TIMEFRAMES.indexOf(t) : TIMEFRAMES.length);
  return rank(a) - rank(b);
}

// Weekly candles open on Monday 00:00 UTC (as on Binance); the unix epoch was a Thursday.
const WEEK_OFFSET_MS = 4 * DAY_MS;

export class TimeframeError extends DomainError {
  override name = 'TimeframeError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

/** The candle size of a timeframe (any whole number of minutes, hours, days or weeks). */
export function timeframeMs(timeframe: string): number {
  if (!parseDuration(timeframe)) {
    throw new TimeframeError(`unsupported timeframe "${timeframe}": use minutes, hours, days or weeks such as 1m, 4h, 1d, 1w`);
  }
  return durationMs(timeframe);
}

function gridOffset(timeframe: string): number {
  return parseDuration(timeframe)?.unit === 'w' ? WEEK_OFFSET_MS : 0;
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
