import 'server-only';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';
import { rollupWatermarks } from '@/lib/db/aggregate-watermarks';
import { candleCountsSql } from './rollup-source';

/** One stored candle series, as the selectors and the overview list it. */
export interface StoredSeries {
  symbol: string;
  timeframe: string;
  /** Open time of the newest stored candle (raw table, else the hourly rollup once raw rows aged out). */
  newest: number;
  /** First UTC day with candles. */
  firstDay: number;
  candles: number;
  simulated: number;
}

/**
 * Every (symbol, timeframe) with data. The daily rollup is small (a row per series and day), so the
 * list costs a few milliseconds however many candles are stored (in TimescaleDB mode what is not
 * materialized yet is counted from raw rows, `candleCountsSql`); the newest open time is one
 * backward index step per series. Two statements: with the per-series steps inside the rollup's
 * query, TimescaleDB planned the real-time daily aggregate so that it took seconds to start.
 */
export async function listStoredSeries(db: Sql): Promise<StoredSeries[]> {
  const { rows: series } = await db.query<Omit<StoredSeries, 'newest'> & { lastDay: number }>(`
    select symbol, timeframe, candles::float8 as candles, simulated::float8 as simulated,
      ${epochMs('first')} as "firstDay", ${epochMs('last')} as "lastDay"
    from (${candleCountsSql(await rollupWatermarks(db))}) counts
    -- Months have no fixed length: the collector never stores them, and nothing here could chart them.
    where timeframe ~ '^[1-9][0-9]*[mhdw]$'
    order by symbol, timeframe`);
  if (!series.length) return [];
  const { rows: newest } = await db.query<{ newest: number | null }>(`
    select ${epochMs(`coalesce(
      (select f.timestamp from ml_features_ohlcv f where f.symbol = s.symbol and f.timeframe = s.timeframe order by f.timestamp desc limit 1),
      (select h.bucket from ml_features_ohlcv_1h h where h.symbol = s.symbol and h.timeframe = s.timeframe order by h.bucket desc limit 1))`)} as newest
    from unnest($1::text[], $2::text[]) with ordinality as s(symbol, timeframe, n) order by s.n`,
    [series.map((s) => s.symbol), series.map((s) => s.timeframe)]);
  return series.map(({ lastDay, ...s }, i) => ({ ...s, newest: newest[i]?.newest ?? lastDay }));
}

/** Open time of a series' newest candle, or null when it has none. */
export async function newestCandle(db: Sql, symbol: string, timeframe: string): Promise<number | null> {
  const { rows } = await db.query<{ newest: number | null }>(
    `select ${epochMs(`coalesce(
       (select max(timestamp) from ml_features_ohlcv where symbol = $1 and timeframe = $2),
       (select max(bucket) from ml_features_ohlcv_1h where symbol = $1 and timeframe = $2))`)} as newest`,
    [symbol, timeframe],
  );
  return rows[0]?.newest ?? null;
}
