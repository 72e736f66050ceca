import type { SqlExecutor } from '@/lib/db/executor';
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
}

export interface UpsertOptions {
  featureVersion?: string;
  /** Rows per statement; the parameter count does not grow with it (one array per column). */
  chunkSize?: number;
}

export const DEFAULT_UPSERT_CHUNK = 5000;

const PRICE_COLUMNS = ['open_price', 'high_price', 'low_price', 'close_price', 'volume'] as const;
const VALUE_COLUMNS = [...PRICE_COLUMNS, ...FEATURE_COLUMNS];
// What makes a row different; computed_at is left out so an unchanged row is never rewritten.
const COMPARED = [...VALUE_COLUMNS, 'candles_since_gap', 'source', 'is_simulated', 'feature_version'];

/**
 * One statement per chunk: every column travels as one array parameter (binary, see
 * ./binary-arrays.ts) and unnest() turns them back into rows, so a chunk of any size is a single
 * round trip with 43 parameters.
 *
 * The conflict clause is the storage rules in SQL: a simulated row never replaces a real one, and
 * a row identical to the stored one is left alone (computed_at does not churn on re-runs).
 */
const UPSERT_SQL = `
with written as (
  insert into ml_features_ohlcv as stored (symbol, timeframe, timestamp, ${VALUE_COLUMNS.join(', ')}, candles_since_gap, source, is_simulated, feature_version, computed_at)
  select $1, $2, u.timestamp, ${VALUE_COLUMNS.map((c) => `u.${c}`).join(', ')}, u.candles_since_gap::int, u.source, u.source = '${SIMULATED_SOURCE}', $3, now()
  from unnest($4::timestamptz[], ${VALUE_COLUMNS.map((_, i) => `$${i + 5}::float8[]`).join(', ')}, $${VALUE_COLUMNS.length + 5}::text[], $${VALUE_COLUMNS.length + 6}::float8[])
    as u(timestamp, ${VALUE_COLUMNS.join(', ')}, source, candles_since_gap)
  on conflict (symbol, timeframe, timestamp) do update set
    ${[...VALUE_COLUMNS, 'candles_since_gap', 'source', 'is_simulated', 'feature_version', 'computed_at'].map((c) => `${c} = excluded.${c}`).join(',\n    ')}
  where (stored.is_simulated or not excluded.is_simulated)
    and (${COMPARED.map((c) => `stored.${c}`).join(', ')}) is distinct from (${COMPARED.map((c) => `excluded.${c}`).join(', ')})
  returning 1
)
select count(*)::int as written from written`;

function textArray(values: string[]): string {
  return `{${values.map((v) => `"${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

const PRICE_FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;

function chunkParams(series: Series, batch: FeatureColumnBatch, indexes: readonly number[], featureVersion: string): unknown[] {
  const params: unknown[] = [series.symbol, series.timeframe, featureVersion];
  params.push(timestamptzArrayParam(indexes.map((i) => batch.candles.timestamp[i]!)));
  for (const field of PRICE_FIELDS) params.push(float8ColumnParam(batch.candles[field], indexes));
  // A feature with no finite value has none: stored as null, like the warm-up rows.
  for (const column of batch.features) params.push(float8ColumnParam(column, indexes));
  params.push(textArray(indexes.map((i) => batch.sources[i]!)));
  return params;
}

/**
 * Writes the rows at `indexes` of a column batch and returns how many were inserted or changed.
 * Run it inside the caller's transaction: a batch is stored whole or not at all.
 */
export async function upsertFeatureColumns(
  db: SqlExecutor,
  series: Series,
  batch: FeatureColumnBatch,
  indexes: readonly number[],
  { featureVersion = FEATURE_VERSION, chunkSize = DEFAULT_UPSERT_CHUNK }: UpsertOptions = {},
): Promise<number> {
  let written = 0;
  for (let start = 0; start < indexes.length; start += chunkSize) {
    const chunk = indexes.slice(start, start + chunkSize);
    const [result] = await db.query<{ written: number }>(UPSERT_SQL, chunkParams(series, batch, chunk, featureVersion));
    written += result!.written;
  }
  return written;
}

/**
 * Writes rows of one series and returns how many were inserted or changed. Run it inside the
 * caller's transaction: a batch is stored whole or not at all.
 */
export async function upsertOhlcvFeatures(
  db: Session,
  series: Series,
  rows: readonly OhlcvFeatureRow[],
  options: UpsertOptions = {},
): Promise<number> {
  const features = allocateFeatureColumns(rows.length);
  rows.forEach((row, i) => FEATURE_COLUMNS.forEach((column, c) => (features[c]![i] = row.features[column] ?? NaN)));
  const batch = { candles: toCandleColumns(rows.map((r) => r.candle)), features, sources: rows.map((r) => r.source) };
  return upsertFeatureColumns(db, series, batch, rows.map((_, i) => i), options);
}
