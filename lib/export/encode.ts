import { stringify } from 'csv-stringify/sync';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { EXPORT_COLUMNS, type ExportColumn, type ExportRow, type TrainingSetMetadata } from './dataset';
import type { ExportFormat } from './request';

/** The training set as file bytes: CSV (csv-stringify) or Parquet (hyparquet-writer). */

const STRING_COLUMNS = new Set<ExportColumn>(['symbol', 'timeframe', 'label_value']);
const TIMESTAMP_COLUMNS = new Set<ExportColumn>(['timestamp', 'sentiment_timestamp', 'label_future_timestamp']);

export function encodeCsv(rows: readonly ExportRow[]): Buffer {
  const text = stringify(
    rows.map((row) => EXPORT_COLUMNS.map((c) => row[c])),
    {
      header: true,
      columns: [...EXPORT_COLUMNS],
      // Empty for a missing value; booleans spelled out (the library's default is 1 and empty).
      cast: { boolean: (value) => (value ? 'true' : 'false') },
    },
  );
  return Buffer.from(text, 'utf8');
}

function parquetColumn(name: ExportColumn, rows: readonly ExportRow[]): ColumnSource {
  if (TIMESTAMP_COLUMNS.has(name)) return { name, type: 'TIMESTAMP', data: rows.map((r) => (r[name] === null ? null : new Date(r[name] as string))) };
  if (STRING_COLUMNS.has(name)) return { name, type: 'STRING', data: rows.map((r) => r[name] as string | null) };
  if (name === 'is_simulated') return { name, type: 'BOOLEAN', data: rows.map((r) => r[name] as boolean) };
  return { name, type: 'DOUBLE', data: rows.map((r) => r[name] as number | null) };
}

export function encodeParquet(rows: readonly ExportRow[], metadata: TrainingSetMetadata): Buffer {
  const buffer = parquetWriteBuffer({
    columnData: EXPORT_COLUMNS.map((c) => parquetColumn(c, rows)),
    // The metadata travels inside the file too, so a copied file still says what it is.
    kvMetadata: [{ key: 'feature_foundation.metadata', value: JSON.stringify(metadata) }],
    createdBy: 'feature-foundation export',
  });
  return Buffer.from(buffer);
}

export function encodeTrainingSet(format: ExportFormat, rows: readonly ExportRow[], metadata: TrainingSetMetadata): Buffer {
  return format === 'parquet' ? encodeParquet(rows, metadata) : encodeCsv(rows);
}
