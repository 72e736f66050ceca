import 'server-only';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';
import { toIso } from '@/lib/market/time';
import { summarizeAttempts, type AttemptSummary } from '../overview';
import { daysBefore } from '@/lib/market/time';

export interface FallbackDay {
  t: number;
  source: string;
  attempts: number;
  /** (fallback + failed) / attempts on that UTC day. */
  fallbackRate: number;
}

export interface FallbackBySeries extends AttemptSummary {
  source: string;
  /** What was collected: candles, fear_greed, news, … */
  kind: string;
  /** '*' for market-wide inputs (Fear & Greed, news feeds). */
  symbol: string;
  lastAttempt: number;
  lastError: string | null;
}

export interface FallbackRates {
  days: FallbackDay[];
  bySeries: FallbackBySeries[];
}

/**
 * How often each source failed to deliver, per UTC day and per (source, kind, symbol), over the last
 * `days` days of wall-clock time (attempts happen now, whatever period they collect).
 */
export async function fallbackRates(db: Sql, request: { now: number; days: number }): Promise<FallbackRates> {
  const since = toIso(daysBefore(request.now, request.days));
  const [{ rows: days }, { rows: series }] = await Promise.all([
    db.query<FallbackDay>(
      `select ${epochMs("date_trunc('day', started_at, 'UTC')")} as t, source, count(*)::float8 as attempts,
         (count(*) filter (where outcome <> 'real'))::float8 / count(*) as "fallbackRate"
       from collection_attempts where started_at >= $1
       group by 1, source order by 1, source`,
      [since],
    ),
    db.query<{ source: string; kind: string; symbol: string; real: number; fallback: number; failed: number; last_attempt: number; last_error: string | null }>(
      `select source, kind, symbol,
         count(*) filter (where outcome = 'real')::float8 as real,
         count(*) filter (where outcome = 'fallback')::float8 as fallback,
         count(*) filter (where outcome = 'failed')::float8 as failed,
         ${epochMs('max(started_at)')} as last_attempt,
         (array_agg(error order by started_at desc) filter (where error is not null))[1] as last_error
       from collection_attempts where started_at >= $1
       group by source, kind, symbol order by source, kind, symbol`,
      [since],
    ),
  ]);
  return {
    days,
    bySeries: series.map((s) => ({
      source: s.source,
      kind: s.kind,
      symbol: s.symbol,
      ...summarizeAttempts(s),
      lastAttempt: s.last_attempt,
      lastError: s.last_error,
    })),
  };
}
