import { rawTier, type RetentionTiers } from '@/lib/db/retention-tiers';
import { DomainError } from '@/lib/errors';

/**
 * Candles the current retention would delete: an import or backfill of them says so before
 * writing and needs an explicit go-ahead (--allow-expiring), so nobody imports a year of 1m
 * candles to watch the next retention run delete it.
 */
export interface Expiring {
  /** Candles older than the tier's horizon: deleted by the next retention run. */
  dueNow: number;
  /** Candles that go later (within the horizon), and when the first of them goes. */
  later: number;
  firstLaterAt: number | null;
  days: number;
  timeframe: string;
}

/** A conflict with the configured retention (exit code 1, HTTP 409): nothing was written. */
export class ExpiringRowsError extends DomainError {
  override name = 'ExpiringRowsError';
  constructor(readonly expiring: Expiring) {
    super('conflict', describeExpiring(expiring) + ' Nothing was written; pass --allow-expiring to store them anyway, or change RETENTION_RAW.');
  }
}

/** Pure: which open times the tier of `timeframe` would delete, now or later. Null when it keeps them all. */
export function expiringCandles(timestamps: readonly number[], timeframe: string, tiers: RetentionTiers, now: number): Expiring | null {
  const days = rawTier(tiers, timeframe);
  if (days === null || !timestamps.length) return null;
  const horizon = days * 86_400_000;
  const cutoff = now - horizon;
  let dueNow = 0;
  let firstLater: number | null = null;
  for (const t of timestamps) {
    if (t < cutoff) dueNow += 1;
    else if (firstLater === null || t < firstLater) firstLater = t;
  }
  return { dueNow, later: timestamps.length - dueNow, firstLaterAt: firstLater === null ? null : firstLater + horizon, days, timeframe };
}

export function describeExpiring(e: Expiring): string {
  const parts = [`${e.timeframe} candles are kept ${e.days} days (RETENTION_RAW):`];
  if (e.dueNow) parts.push(`${e.dueNow} of these candles are older and would be deleted by the next retention run;`);
  if (e.later) parts.push(`${e.later} more would be deleted from ${new Date(e.firstLaterAt!).toISOString()} on.`);
  return parts.join(' ');
}

/** Refuses (throws) when any candle would expire now and the caller did not allow it. */
export function checkExpiring(timestamps: readonly number[], timeframe: string, retention: { tiers: RetentionTiers; allowExpiring?: boolean } | undefined, now: number): Expiring | null {
  if (!retention) return null;
  const expiring = expiringCandles(timestamps, timeframe, retention.tiers, now);
  if (expiring?.dueNow && !retention.allowExpiring) throw new ExpiringRowsError(expiring);
  return expiring;
}

/** The same check for a backfill, before anything is fetched: the open times from `from` to `to` on the grid. */
export function checkExpiringRange(
  range: { from: number; to: number },
  timeframe: string,
  stepMs: number,
  retention: { tiers: RetentionTiers; allowExpiring?: boolean } | undefined,
  now: number,
): Expiring | null {
  const days = retention ? rawTier(retention.tiers, timeframe) : null;
  if (!retention || days === null || range.to < range.from) return null;
  const cutoff = now - days * 86_400_000;
  const total = Math.floor((range.to - range.from) / stepMs) + 1;
  const dueNow = cutoff <= range.from ? 0 : Math.min(total, Math.ceil((cutoff - range.from) / stepMs));
  const firstLater = range.from + dueNow * stepMs;
  const expiring: Expiring = { dueNow, later: total - dueNow, firstLaterAt: total > dueNow ? firstLater + days * 86_400_000 : null, days, timeframe };
  if (dueNow && !retention.allowExpiring) throw new ExpiringRowsError(expiring);
  return expiring;
}
