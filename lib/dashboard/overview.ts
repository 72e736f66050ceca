import 'server-only';
import { epochMs } from '@/lib/db/fragments';
import type { Sql } from '@/lib/db/sql';
import { FEATURE_VERSION } from '@/lib/features/definitions';
import { horizonMs } from '@/lib/labels/compute';
import { DEFAULT_LABEL_SPECS, labelSource } from '@/lib/labels/definitions';
import { toIso } from '@/lib/market/time';
import { compareTimeframes, timeframeMs } from '@/lib/market/timeframe';
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
  materialization: Materialization;
}

/**
 * Up to when a series is ready for training: open time of the newest candle with features of the
 * current version, of the newest label per spec (with the moment it became known), and of the newest
 * sentiment hour of the symbol (sentiment is per symbol, whatever the timeframe). Null: none yet.
 */
export interface Materialization {
  features: { through: number | null; version: string };
  labels: { type: string; horizon: string; through: number | null; knownAt: number | null }[];
  sentiment: { through: number | null };
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

type SeriesKey = { symbol: string; timeframe: string };

/** One backward index step per series and label spec (each table's key ends with the timestamp). */
export async function materializationStatus(db: Sql, series: readonly SeriesKey[]): Promise<Map<string, Materialization>> {
  const specs = Object.values(DEFAULT_LABEL_SPECS);
  const status = new Map<string, Materialization>();
  if (!series.length) return status;
  const symbols = [...new Set(series.map((s) => s.symbol))];
  const [features, labels, sentiment] = await Promise.all([
    db.query<SeriesKey & { through: number | null }>(
      `select k.symbol, k.timeframe, (select ${epochMs('f.timestamp')} from ml_features_ohlcv f
         where f.symbol = k.symbol and f.timeframe = k.timeframe and f.feature_version = $3 order by f.timestamp desc limit 1) as through
       from unnest($1::text[], $2::text[]) as k(symbol, timeframe)`,
      [series.map((s) => s.symbol), series.map((s) => s.timeframe), FEATURE_VERSION],
    ),
    db.query<SeriesKey & { type: string; horizon: string; through: number | null }>(
      `select k.symbol, k.timeframe, k.type, k.horizon, (select ${epochMs('l.timestamp')} from ml_labels l
         where l.symbol = k.symbol and l.label_type = k.type and l.horizon = k.horizon and l.source = k.source order by l.timestamp desc limit 1) as through
       from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) as k(symbol, timeframe, type, horizon, source)`,
      (() => {
        const rows = series.flatMap((s) => specs.map((spec) => [s.symbol, s.timeframe, spec.type, spec.horizon, labelSource(s.timeframe)]));
        return [0, 1, 2, 3, 4].map((i) => rows.map((r) => r[i]));
      })(),
    ),
    db.query<{ symbol: string; through: number | null }>(
      `select k.symbol, (select ${epochMs('s.timestamp')} from ml_features_sentiment s where s.symbol = k.symbol order by s.timestamp desc limit 1) as through
       from unnest($1::text[]) as k(symbol)`,
      [symbols],
    ),
  ]);
  const sentimentBySymbol = new Map(sentiment.rows.map((r) => [r.symbol, r.through]));
  for (const row of features.rows) {
    const key = `${row.symbol} ${row.timeframe}`;
    status.set(key, {
      features: { through: row.through, version: FEATURE_VERSION },
      labels: labels.rows
        .filter((l) => l.symbol === row.symbol && l.timeframe === row.timeframe)
        .map((l) => ({ type: l.type, horizon: l.horizon, through: l.through, knownAt: l.through === null ? null : l.through + horizonMs(l.horizon) + timeframeMs(l.timeframe) })),
      sentiment: { through: sentimentBySymbol.get(row.symbol) ?? null },
    });
  }
  return status;
}

export interface SeriesMaterialization extends SeriesKey {
  materialization: Materialization;
}

/** The materialization of every tracked series (stored or not) and every stored one, by symbol and timeframe. */
export async function listMaterialization(db: Sql, tracked: { symbols: readonly string[]; timeframes: readonly string[] }): Promise<SeriesMaterialization[]> {
  const keys = new Map<string, SeriesKey>();
  for (const symbol of tracked.symbols) for (const timeframe of tracked.timeframes) keys.set(`${symbol} ${timeframe}`, { symbol, timeframe });
  for (const s of await listStoredSeries(db)) keys.set(`${s.symbol} ${s.timeframe}`, { symbol: s.symbol, timeframe: s.timeframe });
  const status = await materializationStatus(db, [...keys.values()]);
  return [...keys.entries()]
    .map(([key, s]) => ({ ...s, materialization: status.get(key)! }))
    .sort((a, b) => a.symbol.localeCompare(b.symbol) || compareTimeframes(a.timeframe, b.timeframe));
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
  const materialization = await materializationStatus(db, [...keys].map((k) => {
    const [symbol, timeframe] = k.split(' ') as [string, string];
    return { symbol, timeframe };
  }));
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
      materialization: materialization.get(k)!,
      latest: row ? { close: row.close, change24h: row.change24h, rsi: row.rsi, macdHistogram: row.macdHistogram, atr: row.atr, volume: row.volume, source: row.source, isSimulated: row.isSimulated } : null,
    };
  });
  series.sort((a, b) => a.symbol.localeCompare(b.symbol) || compareTimeframes(a.timeframe, b.timeframe));

  const since = Date.UTC(new Date(request.now).getUTCFullYear(), new Date(request.now).getUTCMonth(), new Date(request.now).getUTCDate());
  return { now: request.now, series, today: { ...(await attemptsSince(db, since)), since } };
}

