import type { RollupWatermarks } from '@/lib/db/aggregate-watermarks';
import { HOUR_MS } from '@/lib/market/time';

/**
 * Which table serves which part of a candle-rollup read in TimescaleDB mode. The rollups there are
 * real-time continuous aggregates: buckets past an aggregate's watermark are aggregated from its
 * source at query time, and the daily one is stacked on the hourly one — right after a migration or
 * a restore (nothing materialized) a one-year chart aggregated every column of every raw row twice,
 * and /api/quality the whole table. Instead, each request reads each level's materialized buckets
 * up to its watermark and aggregates only the rest from raw rows itself (only the columns it needs),
 * within a bound: never years of raw rows on a request. Buckets beyond the bound are left out until
 * ff_catch_up_aggregates has materialized them (as while it runs, with the aggregate
 * materialized-only).
 */

/** The most raw candles one request aggregates past the watermark (~139 days of 1m, years of 1h). */
export const RAW_READ_BOUND_CANDLES = 200_000;

export type RollupTable = 'ml_features_ohlcv_1d' | 'ml_features_ohlcv_1h' | 'ml_features_ohlcv';

export interface RollupPart {
  table: RollupTable;
  /** [from, to) in epoch ms. */
  from: number;
  to: number;
}

/**
 * Pure: the parts of [from, to) a read of `source` takes from each level — the daily aggregate up
 * to its watermark, the hourly one up to its own, raw rows after that (whole hours, at most
 * `boundCandles` of the series' timeframe, the newest). Without watermarks (plain mode) the source
 * table serves the whole window.
 */
export function planRollupRead(
  source: '1h' | '1d',
  window: { from: number; to: number },
  watermarks: RollupWatermarks | null,
  timeframeMs: number,
  boundCandles = RAW_READ_BOUND_CANDLES,
): RollupPart[] {
  const sourceTable: RollupTable = source === '1d' ? 'ml_features_ohlcv_1d' : 'ml_features_ohlcv_1h';
  if (!watermarks) return [{ table: sourceTable, ...window }];
  const levels: [RollupTable, number][] = source === '1d'
    ? [['ml_features_ohlcv_1d', watermarks.daily], ['ml_features_ohlcv_1h', watermarks.hourly]]
    : [['ml_features_ohlcv_1h', watermarks.hourly]];
  const parts: RollupPart[] = [];
  let start = window.from;
  for (const [table, watermark] of levels) {
    const end = Math.min(window.to, Math.max(start, watermark));
    if (end > start) parts.push({ table, from: start, to: end });
    start = Math.max(start, end);
  }
  const rawFrom = Math.max(start, Math.ceil((window.to - boundCandles * timeframeMs) / HOUR_MS) * HOUR_MS);
  if (window.to > rawFrom) parts.push({ table: 'ml_features_ohlcv', from: rawFrom, to: window.to });
  return parts;
}

/**
 * SQL: candle and simulated counts per series, with its first and last UTC day, as the daily rollup holds them — read, in TimescaleDB mode, from the
 * daily aggregate up to its watermark, the hourly one up to its own and raw rows after that
 * (counting compressed rows is cheap; the stacked real-time aggregates computed every column of
 * every row first).
 */
export function candleCountsSql(watermarks: RollupWatermarks | null): string {
  const day = (column: string) => `date_trunc('day', ${column}, 'UTC')`;
  const part = (table: RollupTable, time: string, where: string[]) => {
    const raw = table === 'ml_features_ohlcv';
    return `select symbol, timeframe,
        ${raw ? 'count(*)' : 'sum(candle_count)'} as candles, ${raw ? 'count(*) filter (where is_simulated)' : 'sum(simulated_count)'} as simulated,
        ${day(`min(${time})`)} as first, ${day(`max(${time})`)} as last
      from ${table} where ${where.join(' and ') || 'true'}
      group by symbol, timeframe`;
  };
  const literal = (ms: number) => `timestamptz '${new Date(ms).toISOString()}'`;
  const parts: string[] = [];
  if (!watermarks) parts.push(part('ml_features_ohlcv_1d', 'bucket', []));
  else {
    const { daily, hourly } = watermarks;
    const rawFrom = Math.max(daily, hourly);
    if (daily > Number.NEGATIVE_INFINITY) parts.push(part('ml_features_ohlcv_1d', 'bucket', [`bucket < ${literal(daily)}`]));
    if (hourly > daily) parts.push(part('ml_features_ohlcv_1h', 'bucket', [...(daily > Number.NEGATIVE_INFINITY ? [`bucket >= ${literal(daily)}`] : []), `bucket < ${literal(hourly)}`]));
    parts.push(part('ml_features_ohlcv', 'timestamp', rawFrom > Number.NEGATIVE_INFINITY ? [`timestamp >= ${literal(rawFrom)}`] : []));
  }
  if (parts.length === 1) return parts[0]!;
  return `select symbol, timeframe, sum(candles) as candles, sum(simulated) as simulated, min(first) as first, max(last) as last
    from (${parts.join('\n    union all\n')}) parts group by symbol, timeframe`;
}
