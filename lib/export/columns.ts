import { FEATURE_COLUMNS } from '@/lib/features/definitions';
import { SENTIMENT_FEATURE_COLUMNS } from '@/lib/sentiment/features';
import type { ExportLabelSpec } from './request';

/**
 * The columns of a training set, in order, with their types: the one description both encoders
 * (CSV, Parquet) and the metadata follow. Timestamps are UTC instants (ISO 8601 in CSV, TIMESTAMP
 * with isAdjustedToUTC in Parquet); `required` columns are never empty.
 */
export type ColumnKind = 'timestamp' | 'string' | 'double' | 'boolean';

export interface ExportColumnDef {
  name: string;
  kind: ColumnKind;
  required: boolean;
}

export const SERIES_COLUMNS = ['symbol', 'timeframe'] as const;
export const PRICE_COLUMNS = ['open_price', 'high_price', 'low_price', 'close_price', 'volume'] as const;

/** The columns of one label spec, all prefixed `label_<name>`. */
export function labelColumns(spec: Pick<ExportLabelSpec, 'name'>) {
  const prefix = `label_${spec.name}`;
  return {
    value: prefix,
    confidence: `${prefix}_confidence`,
    realizedReturn: `${prefix}_realized_return`,
    futureTimestamp: `${prefix}_future_timestamp`,
    knownAt: `${prefix}_known_at`,
    simulated: `${prefix}_is_simulated`,
  };
}

const col = (name: string, kind: ColumnKind, required = false): ExportColumnDef => ({ name, kind, required });

export function exportColumns(labels: readonly ExportLabelSpec[]): ExportColumnDef[] {
  return [
    col('timestamp', 'timestamp', true),
    ...SERIES_COLUMNS.map((c) => col(c, 'string', true)),
    ...PRICE_COLUMNS.map((c) => col(c, 'double', true)),
    ...FEATURE_COLUMNS.map((c) => col(c, 'double')),
    col('sentiment_timestamp', 'timestamp'),
    ...SENTIMENT_FEATURE_COLUMNS.map((c) => col(c, 'double')),
    col('sentiment_real_inputs', 'string'),
    col('sentiment_simulated_inputs', 'string'),
    col('is_simulated', 'boolean', true),
    // Candles since the last missing one: a window of w candles is gap-free exactly when this is ≥ w.
    col('candles_since_gap', 'double'),
    ...labels.flatMap((spec) => {
      const c = labelColumns(spec);
      return [
        col(c.value, 'string'),
        col(c.confidence, 'double'),
        col(c.realizedReturn, 'double'),
        col(c.futureTimestamp, 'timestamp'),
        col(c.knownAt, 'timestamp'),
        col(c.simulated, 'boolean'),
      ];
    }),
  ];
}

/** One exported row: timestamps as unix ms, empty values as null. */
export type ExportValue = number | string | boolean | null;
export type ExportRow = Record<string, ExportValue>;
