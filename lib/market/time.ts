import { DomainError, type DomainErrorOptions } from '../errors';

/**
 * Time in the market's vocabulary: unix milliseconds, UTC. Durations are written as timeframes are
 * ('15m', '4h', '1d', '1w'): minutes, hours, days, weeks. Months and years have no fixed length.
 */
export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/**
 * The instants any input may name: crypto markets are younger than 1970 and the product will not
 * see 2100. Outside them JavaScript and PostgreSQL disagree (year 0 exists in one, not the other).
 */
export const EARLIEST_INSTANT_MS = Date.UTC(1970, 0, 1);
export const LATEST_INSTANT_MS = Date.UTC(2100, 0, 1);
export const isSaneInstant = (ms: number) => Number.isFinite(ms) && ms >= EARLIEST_INSTANT_MS && ms < LATEST_INSTANT_MS;
export const SANE_INSTANT_MESSAGE = 'must be between 1970-01-01 and 2100-01-01';

const UNIT_MS = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS, w: WEEK_MS } as const;
export type DurationUnit = keyof typeof UNIT_MS;

const DURATION = /^([1-9][0-9]*)([mhdw])$/;

export class DurationError extends DomainError {
  override name = 'DurationError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

/** '4h' → { count: 4, unit: 'h' }, or null when the text is not a duration. */
export function parseDuration(text: string): { count: number; unit: DurationUnit } | null {
  const match = DURATION.exec(text);
  return match ? { count: Number(match[1]), unit: match[2] as DurationUnit } : null;
}

export function isDuration(text: string): boolean {
  return DURATION.test(text);
}

/** '4h' → 14 400 000. Throws a DurationError naming the text when it is not a duration. */
export function durationMs(text: string): number {
  const parsed = parseDuration(text);
  if (!parsed) throw new DurationError(`"${text}" is not a duration: use minutes, hours, days or weeks such as 15m, 4h, 1d, 1w`);
  return parsed.count * UNIT_MS[parsed.unit];
}

/** The instant `days` days before `now`. */
export const daysBefore = (now: number, days: number): number => now - days * DAY_MS;

export const toIso = (ms: number): string => new Date(ms).toISOString();
