import 'server-only';
import { RANGES, type RangeKey } from '@/lib/market/range';
import { chooseBucket, type BucketChoice } from './buckets';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';
import { toIso } from '@/lib/market/time';
import { newestCandle } from './series';
import { simulatedStretches, type SimulatedStretch } from './stretches';
import { DAY_MS, durationMs, HOUR_MS } from '@/lib/market/time';
import { rollupWatermarks } from '@/lib/db/aggregate-watermarks';
import { planRollupRead, type RollupPart } from './rollup-source';

export type { SimulatedStretch };

/** Indicator columns the chart draws: the overlays and one panel each (a last-in-bucket value when re-bucketed). */
export const CHART_INDICATORS = [
  'bollinger_upper', 'bollinger_middle', 'bollinger_lower',
  'rsi', 'macd', 'macd_signal', 'macd_histogram', 'stoch_k', 'stoch_d', 'williams_r',
  'cci', 'adx', 'plus_di', 'minus_di', 'obv', 'mfi', 'atr',
] as const;
export type ChartIndicator = (typeof CHART_INDICATORS)[number];

type PriceColumn = 't' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'candles' | 'simulated';
/** Column-wise points (one array per field, same length): half the JSON of an array of objects. */
export type IndicatorColumns = Record<PriceColumn, number[]> & Record<'vwap' | ChartIndicator, (number | null)[]>;


export interface IndicatorSeries {
  symbol: string;
  timeframe: string;
  range: RangeKey;
  /**
   * The window [from, to) in epoch ms, whole buckets ending with the one that holds `end`; null when
   * the series has no data at all.
   */
  from: number | null;
  to: number | null;
  /** The instant the window was asked to end at: the request's `end`, else the newest stored candle. */
  end: number | null;
  bucket: BucketChoice;
  /** The table the points came from. */
  table: 'raw' | '1h' | '1d';
  /** 'session' when VWAP is the stored feature (resets at 00:00 UTC); 'bucket' when it is Σ(typical·volume)/Σvolume per bucket. */
  vwapKind: 'session' | 'bucket';
  columns: IndicatorColumns;
  simulatedStretches: SimulatedStretch[];
}

export interface IndicatorRequest {
  symbol: string;
  timeframe: string;
  range: RangeKey;
  /** Window end; defaults to the newest stored candle (imports of old data end years before now). */
  end?: number;
  points?: number;
}

// A Monday at 00:00 UTC: days and weeks bucket on the exchange grid, and on the rollups' grid.
const ORIGIN_MS = Date.UTC(2000, 0, 3);
const ORIGIN = "timestamptz '2000-01-03 00:00:00+00'";

/** Start of the bucket holding `t`, on the same grid as date_bin(width, t, ORIGIN). */
export function bucketStart(t: number, widthMs: number): number {
  return ORIGIN_MS + Math.floor((t - ORIGIN_MS) / widthMs) * widthMs;
}

/**
 * The range as whole buckets: from the first bucket starting after `end - range` to the one holding
 * `end`. Whole buckets make a rollup read and a raw read of the same window agree exactly (a daily
 * bucket is either in or out, never cut at an hour).
 */
export function bucketWindow(end: number, rangeMs: number, widthMs: number): { from: number; to: number } {
  return { from: bucketStart(end - rangeMs, widthMs) + widthMs, to: bucketStart(end, widthMs) + widthMs };
}

const TABLE = { raw: 'ml_features_ohlcv', '1h': 'ml_features_ohlcv_1h', '1d': 'ml_features_ohlcv_1d' } as const;
const ROLLUP_WIDTH_MS = { '1h': HOUR_MS, '1d': DAY_MS } as const;

const indicatorList = (prefix: string) => CHART_INDICATORS.map((c) => `${prefix}${c}`).join(', ');

/** One point per stored row: exact candles (raw, with the stored session VWAP) or a rollup's own buckets. */
function exactSql(source: keyof typeof TABLE): string {
  const raw = source === 'raw';
  const time = raw ? 'timestamp' : 'bucket';
  return `
    select ${epochMs(time)} as t, open_price as open, high_price as high, low_price as low, close_price as close, volume,
      vwap, ${indicatorList('')},
      ${raw ? '1' : 'candle_count'}::float8 as candles, ${raw ? 'is_simulated::int' : 'simulated_count'}::float8 as simulated
    from ${TABLE[source]}
    where symbol = $1 and timeframe = $2 and ${time} >= $3 and ${time} < $4
    order by ${time}`;
}

/**
 * Candles re-bucketed from finer rows: first open, max high, min low, last close, summed volume,
 * VWAP from summed price·volume, each indicator's last value. The same rules as the rollups, so a
 * 6-hour bucket read from the hourly rollup equals one computed from raw candles. One aggregate pass
 * finds each bucket's first and last row; the open and the last values are then primary-key lookups
 * (cheaper than sorting every row twice for "first" and "last", and planned the same with or without
 * fresh statistics).
 */
export function rebucketSql(source: keyof typeof TABLE): string {
  return source === 'raw' ? rebucketRawSql() : rebucketRollupSql(TABLE[source]);
}

function rebucketRawSql(): string {
  const table = TABLE.raw;
  return `
    with totals as (
      select date_bin($5::interval, timestamp, ${ORIGIN}) as t, min(timestamp) as first_at, max(timestamp) as last_at,
        max(high_price) as high, min(low_price) as low, sum(volume) as volume,
        sum((high_price + low_price + close_price) / 3 * volume) as price_volume,
        count(*)::float8 as candles, (count(*) filter (where is_simulated))::float8 as simulated
      from ${table}
      where symbol = $1 and timeframe = $2 and timestamp >= $3 and timestamp < $4
      group by 1
    )
    select ${epochMs('x.t')} as t, f.open_price as open, x.high, x.low, l.close_price as close, x.volume,
      x.price_volume / nullif(x.volume, 0) as vwap, ${indicatorList('l.')}, x.candles, x.simulated
    from totals x
    -- Primary-key lookups, whatever the statistics say (right after a bulk import they say "empty").
    cross join lateral (select open_price from ${table} where symbol = $1 and timeframe = $2 and timestamp = x.first_at limit 1) f
    cross join lateral (select close_price, ${indicatorList('')} from ${table} where symbol = $1 and timeframe = $2 and timestamp = x.last_at limit 1) l
    order by x.t`;
}

/** Every chart read is of one series: $1, $2. */
const SERIES = 'symbol = $1 and timeframe = $2';
/** The rollup columns a re-bucketed chart reads. */
const ROLLUP_ROW_COLUMNS = `bucket, open_price, high_price, low_price, close_price, volume, price_volume, candle_count, simulated_count, ${indicatorList('')}`;

/**
 * A rollup is read once, in one pass: in TimescaleDB mode it is a real-time continuous aggregate,
 * and each lookup into it would aggregate the unmaterialized raw rows again (a year of buckets made
 * two lookups per bucket, minutes per request when nothing was materialized yet). The window's rows
 * are kept, and each bucket's first and last rows found in them by a hash join.
 */
function rebucketRollupSql(table: string): string {
  return rebucketRowsSql(`select ${ROLLUP_ROW_COLUMNS} from ${table} where ${SERIES} and bucket >= $3 and bucket < $4`, 5);
}

/**
 * `rows`: rollup rows of the window, no two with the same bucket (hourly and daily ones may mix),
 * after the common table expressions `ctes` (each followed by a comma); the width is `$widthAt`.
 */
function rebucketRowsSql(rows: string, widthAt: number, ctes = ''): string {
  return `
    with ${ctes} rows as materialized (${rows}),
    totals as (
      select date_bin($${widthAt}::interval, bucket, ${ORIGIN}) as t, min(bucket) as first_at, max(bucket) as last_at,
        max(high_price) as high, min(low_price) as low, sum(volume) as volume, sum(price_volume) as price_volume,
        sum(candle_count)::float8 as candles, sum(simulated_count)::float8 as simulated
      from rows group by 1
    )
    select ${epochMs('x.t')} as t, f.open_price as open, x.high, x.low, l.close_price as close, x.volume,
      x.price_volume / nullif(x.volume, 0) as vwap, ${indicatorList('l.')}, x.candles, x.simulated
    from totals x join rows f on f.bucket = x.first_at join rows l on l.bucket = x.last_at
    order by x.t`;
}

/**
 * The planned parts' rollup rows, each part's bounds in two parameters from `$at` on, the chart's
 * width in `$widthAt`: the aggregates' materialized buckets, and raw candles aggregated by the
 * hourly aggregate's rules (migration 0001) straight into the chart's buckets, only the columns a
 * chart needs. A raw row is keyed by its first candle's open time, so a chart bucket that began in
 * the part before keeps its rows from there. Two plain passes over the raw window — min/max/sums,
 * then the first and last candles' values by time — cost a fraction of TimescaleDB's first()/last()
 * (partial states per chunk: 10× slower for a year of 1h candles).
 */
function partsSql(parts: readonly RollupPart[], at: number, widthAt: number): { ctes: string; rows: string } {
  const range = (column: string, i: number) => `${column} >= $${at + 2 * i} and ${column} < $${at + 2 * i + 1}`;
  let ctes = '';
  const rows = parts.map((part, i) => {
    if (part.table !== 'ml_features_ohlcv') return `select ${ROLLUP_ROW_COLUMNS} from ${part.table} where ${SERIES} and ${range('bucket', i)}`;
    const window = `${SERIES} and ${range('timestamp', i)}`;
    ctes = `
    raw_totals as materialized (
      select min(timestamp) as first_at, max(timestamp) as last_at, max(high_price) as high_price, min(low_price) as low_price,
        sum(volume) as volume, sum((high_price + low_price + close_price) / 3 * volume) as price_volume, count(*) as candle_count,
        sum(case when is_simulated then 1 else 0 end) as simulated_count
      from ml_features_ohlcv where ${window} group by date_bin($${widthAt}::interval, timestamp, ${ORIGIN})
    ),
    raw_ends as materialized (
      select timestamp, open_price, close_price, ${indicatorList('')} from ml_features_ohlcv
      where ${window} and timestamp in (select first_at from raw_totals union all select last_at from raw_totals)
    ),`;
    return `select x.first_at as bucket, f.open_price, x.high_price, x.low_price, l.close_price, x.volume, x.price_volume, x.candle_count, x.simulated_count, ${indicatorList('l.')}
      from raw_totals x join raw_ends f on f.timestamp = x.first_at join raw_ends l on l.timestamp = x.last_at`;
  });
  return { ctes, rows: rows.join('\n    union all\n') };
}

type PointRow = { [K in keyof IndicatorColumns]: IndicatorColumns[K][number] };

const COLUMN_NAMES = ['t', 'open', 'high', 'low', 'close', 'volume', 'vwap', ...CHART_INDICATORS, 'candles', 'simulated'] as const;

function toColumns(rows: PointRow[]): IndicatorColumns {
  const columns = Object.fromEntries(COLUMN_NAMES.map((name) => [name, new Array(rows.length)])) as Record<string, unknown[]>;
  rows.forEach((row, i) => {
    for (const name of COLUMN_NAMES) columns[name]![i] = row[name];
  });
  return columns as unknown as IndicatorColumns;
}

export interface ChartRows {
  rows: PointRow[];
  /** The table actually read (an exact read falls back to a rollup once raw rows aged out). */
  table: keyof typeof TABLE;
}

/** Reads the rows of a planned window [from, to), from the table the bucket choice names. */
export async function readChartRows(db: Sql, request: { symbol: string; timeframe: string; from: number; to: number; bucket: BucketChoice }): Promise<ChartRows> {
  const { symbol, timeframe, from, to, bucket } = request;
  const window = [symbol, timeframe, toIso(from), toIso(to)];
  if (bucket.exact) {
    const { rows } = await db.query<PointRow>(exactSql('raw'), window);
    if (rows.length || bucket.widthMs < HOUR_MS) return { rows, table: 'raw' };
    // Raw rows age out after 90 days; the rollups keep the same candles for two years.
    const table = bucket.widthMs >= DAY_MS ? '1d' : '1h';
    return { rows: (await db.query<PointRow>(exactSql(table), window)).rows, table };
  }
  if (bucket.source !== 'raw') {
    // TimescaleDB mode: the parts past the aggregates' watermarks come from raw rows, within a bound.
    const parts = planRollupRead(bucket.source, { from, to }, await rollupWatermarks(db), durationMs(timeframe));
    const [only] = parts;
    if (parts.length > 1 || only?.table !== TABLE[bucket.source]) {
      const { ctes, rows } = partsSql(parts, 4, 3);
      const bounds = parts.flatMap((part) => [toIso(part.from), toIso(part.to)]);
      const params = [symbol, timeframe, `${bucket.widthMs / 1000} seconds`, ...bounds];
      return { rows: (await db.query<PointRow>(rebucketRowsSql(rows, 3, ctes), params)).rows, table: bucket.source };
    }
  }
  // A rollup's own bucket width needs no re-bucketing: its rows are the points.
  if (bucket.source !== 'raw' && bucket.widthMs === ROLLUP_WIDTH_MS[bucket.source]) {
    return { rows: (await db.query<PointRow>(exactSql(bucket.source), window)).rows, table: bucket.source };
  }
  const { rows } = await db.query<PointRow>(rebucketSql(bucket.source), [...window, `${bucket.widthMs / 1000} seconds`]);
  return { rows, table: bucket.source };
}

/**
 * The candles and indicators of one series over a range, at the finest bucket width that keeps the
 * chart within its point budget, read from the cheapest table that holds that width.
 */
export async function getIndicatorSeries(db: Sql, request: IndicatorRequest): Promise<IndicatorSeries> {
  const rangeMs = RANGES[request.range];
  const bucket = chooseBucket(request.timeframe, rangeMs, request.points);
  const end = request.end ?? (await newestCandle(db, request.symbol, request.timeframe));
  const window = end === null ? null : bucketWindow(end, rangeMs, bucket.widthMs);
  const read: ChartRows = window === null ? { rows: [], table: 'raw' } : await readChartRows(db, { symbol: request.symbol, timeframe: request.timeframe, ...window, bucket });
  const columns = toColumns(read.rows);
  return {
    symbol: request.symbol,
    timeframe: request.timeframe,
    range: request.range,
    from: window?.from ?? null,
    to: window?.to ?? null,
    end,
    bucket,
    vwapKind: bucket.exact && read.table === 'raw' ? 'session' : 'bucket',
    table: read.table,
    columns,
    simulatedStretches: simulatedStretches(columns.t, columns.simulated, bucket.widthMs),
  };
}
