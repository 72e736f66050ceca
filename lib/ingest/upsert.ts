import type { Session } from '@/lib/db/sql';
import {
  allocateFeatureColumns,
  FEATURE_COLUMNS,
  FEATURE_VERSION,
  toCandleColumns,
  type CandleColumns,
  type FeatureColumnArrays,
  type OhlcvFeatures,
} from '@/lib/features';
import type { Candle } from '@/lib/market/candle';
import { SIMULATED_SOURCE } from '@/lib/market/simulate';
import { float8ColumnParam, timestamptzArrayParam } from './binary-arrays';
import type { Series } from './series';

/** A candle, its features and where it came from: one row of ml_features_ohlcv. */
export interface OhlcvFeatureRow {
  candle: Candle;
  features: OhlcvFeatures;
  source: string;
  /** Consecutive candles without a gap ending at this one (see lib/ingest/gap-marker.ts). */
  candlesSinceGap?: number | null;
}

/** Rows of one series as columns: what the feature kernel produces, written without row objects. */
export interface FeatureColumnBatch {
  candles: CandleColumns;
  /** Ordered like FEATURE_COLUMNS; NaN where a feature has no value. */
  features: FeatureColumnArrays;
  /** Where each row came from. */
  sources: readonly string[];
  /** Per row, consecutive candles without a gap ending at it (lib/ingest/gap-marker.ts); NaN: unknown. */
  candlesSinceGap?: Float64Array;
}

export interface UpsertOptions {
  featureVersion?: string;
  /** Rows per statement; the parameter count does not grow with it (one array per column). */
  chunkSize?: number;
  /**
   * Plain mode, rollup triggers skipped: also write the hourly rollup rows of these timeframes
   * (an hour or longer) in the same statement; the caller recomputes the days.
   */
  hourlyRollupTimeframes?: readonly string[];
}

export const DEFAULT_UPSERT_CHUNK = 5000;

const PRICE_COLUMNS = ['open_price', 'high_price', 'low_price', 'close_price', 'volume'] as const;
const VALUE_COLUMNS = [...PRICE_COLUMNS, ...FEATURE_COLUMNS];
// What makes a row different; computed_at is left out so an unchanged row is never rewritten.
const COMPARED = [...VALUE_COLUMNS, 'candles_since_gap', 'source', 'is_simulated', 'feature_version'];

/**
 * One statement per chunk, of one series or many: every column travels as one array parameter
 * (binary, see ./binary-arrays.ts) and unnest() turns them back into rows, so a chunk of any
 * size is a single round trip with 43 parameters.
 *
 * The conflict clause is the storage rules in SQL: a simulated row never replaces a real one, and
 * a row identical to the stored one is left alone (computed_at does not churn on re-runs).
 */
const RAW_UPSERT = `
  insert into ml_features_ohlcv as stored (symbol, timeframe, timestamp, ${VALUE_COLUMNS.join(', ')}, candles_since_gap, source, is_simulated, feature_version, computed_at)
  select u.symbol, u.timeframe, u.timestamp, ${VALUE_COLUMNS.map((c) => `u.${c}`).join(', ')}, u.candles_since_gap::int, u.source, u.source = '${SIMULATED_SOURCE}', $3, now()
  from unnest($1::text[], $2::text[], $4::timestamptz[], ${VALUE_COLUMNS.map((_, i) => `$${i + 5}::float8[]`).join(', ')}, $${VALUE_COLUMNS.length + 5}::text[], $${VALUE_COLUMNS.length + 6}::float8[])
    as u(symbol, timeframe, timestamp, ${VALUE_COLUMNS.join(', ')}, source, candles_since_gap)
  on conflict (symbol, timeframe, timestamp) do update set
    ${[...VALUE_COLUMNS, 'candles_since_gap', 'source', 'is_simulated', 'feature_version', 'computed_at'].map((c) => `${c} = excluded.${c}`).join(',\n    ')}
  where (stored.is_simulated or not excluded.is_simulated)
    and (${COMPARED.map((c) => `stored.${c}`).join(', ')}) is distinct from (${COMPARED.map((c) => `excluded.${c}`).join(', ')})`;

const UPSERT_SQL = `
with written as (${RAW_UPSERT}
  returning symbol, timeframe
)
select symbol, timeframe, count(*)::int as written from written group by symbol, timeframe`;

// The plain-mode hourly rollup's columns besides the key: the same aggregates
// ff_recompute_ohlcv_rollups computes, for a bucket that holds exactly one candle.
const INDICATORS = FEATURE_COLUMNS.filter((c) => c !== 'vwap');
const HOURLY_COLUMNS = ['open_price', 'high_price', 'low_price', 'close_price', 'volume', 'price_volume', 'vwap', ...INDICATORS, 'candle_count', 'simulated_count'];

/**
 * The same upsert, also writing the plain-mode hourly rollup of the rows it wrote whose timeframe
 * is an hour or longer (their own bucket: one candle each), from the rows the insert returns, in
 * the same statement. Bit for bit what the generic recompute gives for a one-candle bucket.
 */
const UPSERT_WITH_HOURLY_SQL = `
with written as (${RAW_UPSERT}
  returning *
), hourly as (
  insert into ml_features_ohlcv_1h as r (symbol, timeframe, bucket, ${HOURLY_COLUMNS.join(', ')})
  select symbol, timeframe, date_trunc('hour', timestamp, 'UTC'), open_price, high_price, low_price, close_price, volume,
    (high_price + low_price + close_price) / 3 * volume,
    (high_price + low_price + close_price) / 3 * volume / nullif(volume, 0),
    ${INDICATORS.join(', ')}, 1, is_simulated::int
  from written where timeframe = any($${VALUE_COLUMNS.length + 7}::text[])
    -- Days before a timeframe's retention cut-off keep aggregates of rows retention dropped (0005).
    and not exists (select 1 from retention_cutoffs c where c.timeframe = written.timeframe and date_trunc('day', written.timestamp, 'UTC') < c.cutoff)
  on conflict (symbol, timeframe, bucket) do update set
    ${HOURLY_COLUMNS.map((c) => `${c} = excluded.${c}`).join(',\n    ')}
)
select symbol, timeframe, count(*)::int as written from written group by symbol, timeframe`;

function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

/** Rows `indexes` of one series' column batch: one part of a (possibly multi-series) write. */
export interface UpsertPart {
  series: Series;
  batch: FeatureColumnBatch;
  indexes: readonly number[];
}

function chunkParams(parts: readonly UpsertPart[], featureVersion: string): unknown[] {
  const each = <T>(pick: (part: UpsertPart, i: number) => T) => parts.flatMap((part) => part.indexes.map((i) => pick(part, i)));
  const params: unknown[] = [textArray(each((p) => p.series.symbol)), textArray(each((p) => p.series.timeframe)), featureVersion];
  params.push(timestamptzArrayParam(each((p, i) => p.batch.candles.timestamp[i]!)));
  const concat = (column: (part: UpsertPart) => Float64Array) => {
    if (parts.length === 1) return float8ColumnParam(column(parts[0]!), parts[0]!.indexes);
    return float8ColumnParam(Float64Array.from(each((p, i) => column(p)[i]!)));
  };
  for (const field of PRICE_FIELDS) params.push(concat((p) => p.batch.candles[field]));
  // A feature with no finite value has none: stored as null, like the warm-up rows.
  for (let c = 0; c < FEATURE_COLUMNS.length; c++) params.push(concat((p) => p.batch.features[c]!));
  params.push(textArray(each((p, i) => p.batch.sources[i]!)));
  params.push(float8ColumnParam(Float64Array.from(each((p, i) => p.batch.candlesSinceGap?.[i] ?? NaN))));
  return params;
}

/** Splits parts into chunks of at most `size` rows, keeping each row's part. */
function chunked(parts: readonly UpsertPart[], size: number): UpsertPart[][] {
  const chunks: UpsertPart[][] = [];
  let current: UpsertPart[] = [];
  let rows = 0;
  for (const part of parts) {
    for (let start = 0; start < part.indexes.length; ) {
      const take = Math.min(size - rows, part.indexes.length - start);
      current.push({ ...part, indexes: part.indexes.slice(start, start + take) });
      rows += take;
      start += take;
      if (rows === size) {
        chunks.push(current);
        current = [];
        rows = 0;
      }
    }
  }
  if (rows) chunks.push(current);
  return chunks;
}

/**
 * Writes the given rows of one or many series (each series at most once) and returns how many
 * were inserted or changed, per part. Run it inside the caller's transaction: a batch is stored
 * whole or not at all.
 */
export async function upsertFeatureColumns(
  db: Session,
  parts: readonly UpsertPart[],
  { featureVersion = FEATURE_VERSION, chunkSize = DEFAULT_UPSERT_CHUNK, hourlyRollupTimeframes }: UpsertOptions = {},
): Promise<number[]> {
  const key = (s: Series) => `${s.symbol}\u0000${s.timeframe}`;
  const position = new Map(parts.map((part, i) => [key(part.series), i]));
  if (position.size !== parts.length) throw new Error('upsertFeatureColumns: a series may appear only once per call');
  const written = parts.map(() => 0);
  for (const chunk of chunked(parts, chunkSize)) {
    const params = chunkParams(chunk, featureVersion);
    const sql = hourlyRollupTimeframes ? UPSERT_WITH_HOURLY_SQL : UPSERT_SQL;
    if (hourlyRollupTimeframes) params.push(textArray([...hourlyRollupTimeframes]));
    const { rows: counts } = await db.query<{ symbol: string; timeframe: string; written: number }>(sql, params);
    for (const row of counts) written[position.get(key(row))!]! += row.written;
  }
  return written;
}

export async function upsertOhlcvFeatures(
  db: Session,
  series: Series,
  rows: readonly OhlcvFeatureRow[],
  options: UpsertOptions = {},
): Promise<number> {
  const features = allocateFeatureColumns(rows.length);
  rows.forEach((row, i) => FEATURE_COLUMNS.forEach((column, c) => (features[c]![i] = row.features[column] ?? NaN)));
  const candlesSinceGap = Float64Array.from(rows, (r) => r.candlesSinceGap ?? NaN);
  const batch = { candles: toCandleColumns(rows.map((r) => r.candle)), features, sources: rows.map((r) => r.source), candlesSinceGap };
  const [written] = await upsertFeatureColumns(db, [{ series, batch, indexes: rows.map((_, i) => i) }], options);
  return written!;
}
