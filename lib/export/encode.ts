import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import type { SchemaElement } from 'hyparquet';
import { fileWriter, ParquetWriter, type ColumnSource } from 'hyparquet-writer';
import type { ExportColumnDef, ExportRow } from './columns';
import type { TrainingSetMetadata } from './metadata';
import type { ExportFormat } from './request';

/**
 * Encoders that write a training set to a file a batch of rows at a time, so memory stays bounded
 * by one batch: CSV (csv-stringify) and Parquet (hyparquet-writer, one row group per batch).
 */
export interface TrainingSetSink {
  write(rows: readonly ExportRow[]): Promise<void>;
  /** Completes the file; the metadata goes into it where the format has room (Parquet's footer). */
  finish(metadata: TrainingSetMetadata): Promise<void>;
  /** Closes the file after a failure; the caller removes it. */
  abort(): Promise<void>;
}

export const METADATA_KEY = 'feature_foundation.metadata';

const csvValue = (column: ExportColumnDef, value: ExportRow[string]) =>
  value === null ? null : column.kind === 'timestamp' ? new Date(value as number).toISOString() : value;

class CsvSink implements TrainingSetSink {
  private readonly out: WriteStream;
  private header = true;

  constructor(file: string, private readonly columns: readonly ExportColumnDef[]) {
    this.out = createWriteStream(file);
  }

  async write(rows: readonly ExportRow[]): Promise<void> {
    const text = stringify(
      rows.map((row) => this.columns.map((c) => csvValue(c, row[c.name] ?? null))),
      {
        header: this.header,
        columns: this.columns.map((c) => c.name),
        // Empty for a missing value; booleans spelled out (the library's default is 1 and empty).
        cast: { boolean: (value) => (value ? 'true' : 'false') },
      },
    );
    this.header = false;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }

  async finish(): Promise<void> {
    // An export without rows still has its header.
    if (this.header) await this.write([]);
    this.out.end();
    await once(this.out, 'finish');
  }

  async abort(): Promise<void> {
    this.out.destroy();
    await once(this.out, 'close').catch(() => undefined);
  }
}

/** Parquet types every reader maps the same way: timestamps with the TIMESTAMP logical type, UTC. */
function schemaElement(column: ExportColumnDef): SchemaElement {
  const repetition_type = column.required ? 'REQUIRED' : 'OPTIONAL';
  const { name } = column;
  switch (column.kind) {
    case 'timestamp':
      // The legacy converted type alone leaves duckdb and polars reading naive timestamps; the
      // logical type says UTC. Both are written, as pyarrow does.
      return { name, repetition_type, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } };
    case 'string':
      return { name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'boolean':
      return { name, repetition_type, type: 'BOOLEAN' };
    case 'double':
      return { name, repetition_type, type: 'DOUBLE' };
  }
}

/** Rows per Parquet row group: large enough for readers to scan efficiently, small enough to buffer. */
export const ROW_GROUP_ROWS = 10_000;

class ParquetSink implements TrainingSetSink {
  private readonly writer: ParquetWriter;
  // Buffered as plain column arrays (not row objects) until a row group is full.
  private columnsData: ExportRow[string][][];
  private buffered = 0;

  constructor(file: string, private readonly columns: readonly ExportColumnDef[]) {
    this.writer = new ParquetWriter({
      writer: fileWriter(file),
      schema: [{ name: 'root', num_children: columns.length }, ...columns.map(schemaElement)],
      createdBy: 'feature-foundation export',
    });
    this.columnsData = columns.map(() => []);
  }

  async write(rows: readonly ExportRow[]): Promise<void> {
    this.columns.forEach((c, i) => {
      const data = this.columnsData[i]!;
      for (const row of rows) data.push(row[c.name] ?? null);
    });
    this.buffered += rows.length;
    if (this.buffered >= ROW_GROUP_ROWS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buffered) return;
    const columnData: ColumnSource[] = this.columns.map((c, i) => ({ name: c.name, data: this.columnsData[i]! }));
    this.columnsData = this.columns.map(() => []);
    await this.writer.write({ columnData, rowGroupSize: this.buffered });
    this.buffered = 0;
  }

  async finish(metadata: TrainingSetMetadata): Promise<void> {
    await this.flush();
    // The metadata travels inside the file too, so a copied file still says what it is.
    this.writer.kvMetadata = [{ key: METADATA_KEY, value: JSON.stringify(metadata) }];
    await this.writer.finish();
  }

  async abort(): Promise<void> {}
}

export function openSink(format: ExportFormat, file: string, columns: readonly ExportColumnDef[]): TrainingSetSink {
  return format === 'parquet' ? new ParquetSink(file, columns) : new CsvSink(file, columns);
}
