import 'server-only';
import { durationMs } from '@/lib/market/time';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';
import type { StoredSeries } from '../series';
import { DAY_MS } from '@/lib/market/time';

export interface SeriesGaps {
  symbol: string;
  timeframe: string;
  /** Candles the window should hold (first to newest stored open time in it). */
  expected: number;
  missing: number;
  gaps: number;
  largest: { from: number; to: number; missing: number } | null;
}

/**
 * Missing candles per series in the last `days` days of its own data: a run of missing open times
 * wherever two consecutive stored candles are more than one timeframe apart.
 */
export async function seriesGaps(db: Sql, series: readonly StoredSeries[], days: number): Promise<SeriesGaps[]> {
  if (!series.length) return [];
  const { rows } = await db.query<{ symbol: string; timeframe: string; rows: number; first: number | null; last: number | null; gaps: number; missing: number; gap_from: number | null; gap_missing: number | null }>(
    `select s.symbol, s.timeframe, g.rows, g.first, g.last, g.gaps, g.missing, g.gap_from, g.gap_missing
     from unnest($1::text[], $2::text[], $3::float8[], $4::float8[]) as s(symbol, timeframe, step_ms, newest_ms)
     -- One pass over the window's candles (a month of 1m candles is 43,200 rows per series).
     cross join lateral (
       select count(*)::float8 as rows, ${epochMs('min(timestamp)')} as first, ${epochMs('max(timestamp)')} as last,
         (count(*) filter (where missing > 0))::float8 as gaps, coalesce(sum(missing) filter (where missing > 0), 0)::float8 as missing,
         (array_agg(gap_from order by missing desc, gap_from) filter (where missing > 0))[1] as gap_from,
         max(missing) filter (where missing > 0) as gap_missing
       from (
         select timestamp, ${epochMs('timestamp')} + s.step_ms as gap_from,
           round((extract(epoch from lead(timestamp) over (order by timestamp) - timestamp) * 1000) / s.step_ms)::float8 - 1 as missing
         from ml_features_ohlcv f
         where f.symbol = s.symbol and f.timeframe = s.timeframe and f.timestamp > to_timestamp((s.newest_ms - $5::float8) / 1000)
       ) steps
     ) g
     order by s.symbol, s.timeframe`,
    [series.map((s) => s.symbol), series.map((s) => s.timeframe), series.map((s) => durationMs(s.timeframe)), series.map((s) => s.newest), days * DAY_MS],
  );
  return rows.map((r) => {
    const step = durationMs(r.timeframe);
    const expected = r.first === null || r.last === null ? 0 : Math.round((r.last - r.first) / step) + 1;
    return {
      symbol: r.symbol,
      timeframe: r.timeframe,
      expected,
      missing: r.missing,
      gaps: r.gaps,
      largest: r.gap_from === null || r.gap_missing === null ? null : { from: r.gap_from, to: r.gap_from + (r.gap_missing - 1) * step, missing: r.gap_missing },
    };
  });
}

export interface GapPage {
  symbol: string;
  timeframe: string;
  /** Gaps over the series' whole stored history. */
  total: number;
  missing: number;
  page: number;
  pages: number;
  /** Newest first. */
  gaps: { from: number; to: number; missing: number }[];
}

/**
 * Every gap of one series over its whole stored history (not a recent window), newest first, a
 * page at a time: a run of missing open times wherever two consecutive stored candles are more
 * than one timeframe apart.
 */
export async function listSeriesGaps(db: Sql, query: { symbol: string; timeframe: string; page: number; pageSize: number }): Promise<GapPage> {
  const step = durationMs(query.timeframe);
  const { rows } = await db.query<{ gap_from: number; missing: number; total: number; all_missing: number }>(
    `with steps as (
       select ${epochMs('timestamp')} + $3::float8 as gap_from,
         round((extract(epoch from next - timestamp) * 1000) / $3::float8)::float8 - 1 as missing
       from (
         select timestamp, lead(timestamp) over (order by timestamp) as next
         from ml_features_ohlcv where symbol = $1 and timeframe = $2
       ) pairs
       where next is not null
     ), gaps as (select * from steps where missing > 0)
     select gap_from, missing, count(*) over ()::float8 as total, sum(missing) over ()::float8 as all_missing
     from gaps order by gap_from desc limit $4 offset $5`,
    [query.symbol, query.timeframe, step, query.pageSize, (query.page - 1) * query.pageSize],
  );
  const total = rows[0]?.total ?? (query.page > 1 ? (await listSeriesGaps(db, { ...query, page: 1 })).total : 0);
  return {
    symbol: query.symbol,
    timeframe: query.timeframe,
    total,
    missing: rows[0]?.all_missing ?? 0,
    page: query.page,
    pages: Math.max(1, Math.ceil(total / query.pageSize)),
    gaps: rows.map((r) => ({ from: r.gap_from, to: r.gap_from + (r.missing - 1) * step, missing: r.missing })),
  };
}
