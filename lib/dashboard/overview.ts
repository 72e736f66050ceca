import { compareTimeframes } from '@/lib/market/timeframe';
import 'server-only';
import type { Sql } from '@/lib/db/sql';
import { toIso } from '@/lib/market/time';
import { listStoredSeries } from './series';
import { freshness, rateStatus, THRESHOLDS, type Freshness, type Status } from './thresholds';

export interface LatestValues {
  close: number;
  /** Close against the close 24 hours earlier, as a fraction; null without that much history. */
  change24h: number | null;
  rsi: number | null;
  macdHistogram: number | null;
  atr: number | null;
  volume: number;
  source: string;
  isSimulated: boolean;
}

export interface OverviewSeries {
  symbol: string;
  timeframe: string;
  /** Listed in TRACKED_SYMBOLS × TRACKED_TIMEFRAMES (the schedule collects it). */
  tracked: boolean;
  newest: number | null;
  freshness: Freshness;
  candles: number;
  simulatedShare: number | null;
  latest: LatestValues | null;
}

export interface AttemptSummary {
  attempts: number;
  real: number;
  fallback: number;
  failed: number;
  /** (fallback + failed) / attempts: how often the real source did not deliver. */
  fallbackRate: number | null;
  status: Status;
}

export interface Overview {
  now: number;
  series: OverviewSeries[];
  today: AttemptSummary & { since: number };
}

export interface OverviewRequest {
  now: number;
  trackedSymbols: readonly string[];
  trackedTimeframes: readonly string[];
}

interface LatestRow extends LatestValues {
  symbol: string;
  timeframe: string;
}

async function latestValues(db: Sql, series: { symbol: string; timeframe: string }[]): Promise<LatestRow[]> {
  if (!series.length) return [];
  // One backward index step per series for the newest row and one for the row a day before it.
  const { rows } = await db.query<LatestRow>(
    `select s.symbol, s.timeframe, n.close_price as close, n.rsi, n.macd_histogram as "macdHistogram", n.atr, n.volume,
       n.source, n.is_simulated as "isSimulated", n.close_price / nullif(d.close_price, 0) - 1 as "change24h"
     from unnest($1::text[], $2::text[]) as s(symbol, timeframe)
     cross join lateral (
       select * from ml_features_ohlcv f where f.symbol = s.symbol and f.timeframe = s.timeframe order by f.timestamp desc limit 1
     ) n
     left join lateral (
       select close_price from ml_features_ohlcv f
       where f.symbol = s.symbol and f.timeframe = s.timeframe and f.timestamp <= n.timestamp - interval '24 hours'
       order by f.timestamp desc limit 1
     ) d on true`,
    [series.map((s) => s.symbol), series.map((s) => s.timeframe)],
  );
  return rows;
}

export function summarizeAttempts(counts: { real: number; fallback: number; failed: number }): AttemptSummary {
  const attempts = counts.real + counts.fallback + counts.failed;
  const fallbackRate = attempts ? (counts.fallback + counts.failed) / attempts : null;
  return { attempts, ...counts, fallbackRate, status: rateStatus(fallbackRate, THRESHOLDS.fallbackRate) };
}

async function attemptsSince(db: Sql, since: number): Promise<AttemptSummary> {
  const { rows } = await db.query<{ real: number; fallback: number; failed: number }>(
    `select count(*) filter (where outcome = 'real')::float8 as real,
            count(*) filter (where outcome = 'fallback')::float8 as fallback,
            count(*) filter (where outcome = 'failed')::float8 as failed
     from collection_attempts where started_at >= $1`,
    [toIso(since)],
  );
  return summarizeAttempts(rows[0] ?? { real: 0, fallback: 0, failed: 0 });
}

/**
 * What is collected and how fresh it is: every tracked series (stored or not) and every stored one
 * (tracked or not), with the newest values and today's fallback rate.
 */
export async function getOverview(db: Sql, request: OverviewRequest): Promise<Overview> {
  const stored = await listStoredSeries(db);
  const key = (s: { symbol: string; timeframe: string }) => `${s.symbol} ${s.timeframe}`;
  const trackedKeys = new Set(request.trackedSymbols.flatMap((symbol) => request.trackedTimeframes.map((timeframe) => key({ symbol, timeframe }))));
  const storedByKey = new Map(stored.map((s) => [key(s), s]));
  const latest = new Map((await latestValues(db, stored)).map((row) => [key(row), row]));

  const keys = new Set([...trackedKeys, ...storedByKey.keys()]);
  const series = [...keys].map((k): OverviewSeries => {
    const [symbol, timeframe] = k.split(' ') as [string, string];
    const s = storedByKey.get(k);
    const row = latest.get(k);
    return {
      symbol,
      timeframe,
      tracked: trackedKeys.has(k),
      newest: s?.newest ?? null,
      freshness: freshness(s?.newest ?? null, timeframe, request.now),
      candles: s?.candles ?? 0,
      simulatedShare: s && s.candles ? s.simulated / s.candles : null,
      latest: row ? { close: row.close, change24h: row.change24h, rsi: row.rsi, macdHistogram: row.macdHistogram, atr: row.atr, volume: row.volume, source: row.source, isSimulated: row.isSimulated } : null,
    };
  });
  series.sort((a, b) => a.symbol.localeCompare(b.symbol) || compareTimeframes(a.timeframe, b.timeframe));

  const since = Date.UTC(new Date(request.now).getUTCFullYear(), new Date(request.now).getUTCMonth(), new Date(request.now).getUTCDate());
  return { now: request.now, series, today: { ...(await attemptsSince(db, since)), since } };
}

