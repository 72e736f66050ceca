import { z } from 'zod';
import { DAY_MS } from '../market/time';
import { TIMEFRAMES, type Timeframe } from '../market/timeframe';

/**
 * How long each kind of row is kept, per candle timeframe, as the environment configures it
 * (RETENTION_RAW, RETENTION_AGGREGATES). Training needs years of history, so only the fast
 * timeframes expire by default; `off` keeps rows until the user says otherwise.
 *
 * Rows that belong to candles live as long as those candles: labels follow the raw tier of the
 * timeframe they were computed from (`ml_labels.source` = 'ohlcv:<T>'), hourly sentiment rows and
 * predictions follow the 1h tier. Aggregates must outlive the raw rows they summarise, or a
 * refresh could rebuild a bucket from fewer rows than it had.
 */
export { TIMEFRAMES };
export type RetentionTimeframe = Timeframe;

/** Days to keep, or null for "never delete". */
export type Horizon = number | null;
export type Tiers = Record<RetentionTimeframe, Horizon>;

export interface RetentionTiers {
  raw: Tiers;
  aggregates: Tiers;
}

/**
 * A raw horizon shorter than this could fall inside TimescaleDB's refresh windows (up to 10 days
 * back), which would then rebuild aggregates from rows retention already dropped.
 */
export const MIN_RAW_DAYS = 14;

const FAST = new Set<RetentionTimeframe>(['1m', '3m', '5m', '15m', '30m']);
export const DEFAULT_TIERS: RetentionTiers = {
  raw: Object.fromEntries(TIMEFRAMES.map((tf) => [tf, FAST.has(tf) ? 90 : null])) as Tiers,
  aggregates: Object.fromEntries(TIMEFRAMES.map((tf) => [tf, FAST.has(tf) ? 730 : null])) as Tiers,
};

const UNIT_DAYS = { d: 1, w: 7, y: 365 } as const;

/** '90d', '12w', '2y' → days; 'off' → null. Throws a message fit for a config error. */
export function parseHorizon(text: string): Horizon {
  const value = text.trim().toLowerCase();
  if (value === 'off') return null;
  const match = /^([1-9][0-9]*)([dwy])$/.exec(value);
  if (!match) throw new Error(`"${text}" is not a horizon: use a number of days, weeks or years (90d, 12w, 2y) or off`);
  return Number(match[1]) * UNIT_DAYS[match[2] as keyof typeof UNIT_DAYS];
}

export const formatHorizon = (days: Horizon) => (days === null ? 'off' : `${days}d`);

/**
 * `1m=90d,5m=30d,1h=off` or `*=off,1m=90d`: entries override the defaults in order, `*` sets
 * every timeframe. A timeframe not named keeps its default.
 */
export function parseTierList(text: string, defaults: Tiers): Tiers {
  const tiers = { ...defaults };
  for (const entry of text.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [key, value, extra] = entry.split('=').map((part) => part.trim());
    if (!key || value === undefined || extra !== undefined) throw new Error(`"${entry}" must look like 1m=90d or 1h=off`);
    const horizon = parseHorizon(value);
    if (key === '*') for (const tf of TIMEFRAMES) tiers[tf] = horizon;
    else if ((TIMEFRAMES as readonly string[]).includes(key)) tiers[key as RetentionTimeframe] = horizon;
    else throw new Error(`"${key}" is not a timeframe (one of ${TIMEFRAMES.join(' ')}, or *)`);
  }
  return tiers;
}

const outlives = (aggregate: Horizon, raw: Horizon) => aggregate === null || (raw !== null && aggregate >= raw);

export interface TierProblem {
  variable: 'RETENTION_RAW' | 'RETENTION_AGGREGATES';
  message: string;
}

/** The problems of a configuration, each naming its timeframe; empty when it is valid. */
export function tierProblems({ raw, aggregates }: RetentionTiers): TierProblem[] {
  const problems: TierProblem[] = [];
  for (const tf of TIMEFRAMES) {
    const r = raw[tf];
    if (r !== null && r < MIN_RAW_DAYS) problems.push({ variable: 'RETENTION_RAW', message: `${tf} keeps ${r}d, at least ${MIN_RAW_DAYS}d is needed (aggregates are refreshed up to 10 days back)` });
    if (!outlives(aggregates[tf], r)) {
      const message = `${tf} keeps ${formatHorizon(aggregates[tf])}, less than its raw rows (${formatHorizon(r)}): aggregates must outlive the rows they summarise`;
      problems.push({ variable: 'RETENTION_AGGREGATES', message });
    }
  }
  return problems;
}

/** The env variables, validated; a zod schema so lib/config/env.ts reports problems by variable. */
export const retentionEnvSchema = {
  RETENTION_RAW: z
    .string()
    .optional()
    .transform((text, context) => {
      try {
        return parseTierList(text ?? '', DEFAULT_TIERS.raw);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  RETENTION_AGGREGATES: z
    .string()
    .optional()
    .transform((text, context) => {
      try {
        return parseTierList(text ?? '', DEFAULT_TIERS.aggregates);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
};

/** The longest of several horizons (null, "forever", wins). */
export function longest(horizons: readonly Horizon[]): Horizon {
  if (!horizons.length || horizons.some((h) => h === null)) return null;
  return Math.max(...(horizons as number[]));
}

/** When a row of this timeframe stored now, with open time `timestamp`, is due for deletion (null: never). */
export function expiresAt(timestamp: number, days: Horizon): number | null {
  return days === null ? null : timestamp + days * DAY_MS;
}

export function tiersFrom(cfg: { RETENTION_RAW: Tiers; RETENTION_AGGREGATES: Tiers }): RetentionTiers {
  return { raw: cfg.RETENTION_RAW, aggregates: cfg.RETENTION_AGGREGATES };
}

/** The raw tier of a timeframe (a timeframe outside the list, which validation keeps out, is kept). */
export function rawTier(tiers: RetentionTiers, timeframe: string): Horizon {
  return tiers.raw[timeframe as RetentionTimeframe] ?? null;
}
