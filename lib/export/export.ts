import { existsSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { timeframeMs } from '@/lib/market/timeframe';
import { exportColumns, type ExportRow } from './columns';
import { assembleRow, readSeriesStarts, readWindow } from './dataset';
import { openSink, type TrainingSetSink } from './encode';
import { TrainingSetStats, type TrainingSetMetadata } from './metadata';
import { ExportArgumentError, type ExportRequest } from './request';
import { DomainError } from '@/lib/errors';
import type { Sql } from '@/lib/db/sql';

/** Writing a training set to files (the command line) or to a temporary file for a download. */

/** Nothing to export: every candidate row was excluded, or there were none. Exit code 1 / HTTP 404. */
export class ExportEmptyError extends DomainError {
  override name = 'ExportEmptyError';
  constructor(readonly metadata: TrainingSetMetadata) {
    const reasons = Object.entries(metadata.excluded)
      .filter(([, v]) => v.count > 0)
      .map(([k, v]) => `${k}: ${v.count}`)
      .join(', ');
    const series = metadata.series.map((s) => `${s.symbol} ${s.timeframe}`).join(', ');
    super(
      'not_found',
      metadata.rows.candidates === 0
        ? `nothing to export: no candles of ${series} from ${metadata.range.from} to ${metadata.range.to_exclusive}`
        : `nothing to export: all ${metadata.rows.candidates} candles were excluded (${reasons})${metadata.simulated.policy === 'include' ? '' : '; --simulated include keeps simulated rows'}`,
      { details: metadata },
    );
  }
}

export const metadataPathFor = (output: string) => `${output}.meta.json`;

/**
 * Rows read (and encoded) at once, across all series: bounds memory whatever the range. Measured
 * (bench/export.ts, 4 series × 2 years): windows of 1,000 rows keep the peak RSS near 200–250 MB;
 * 8,000 let V8's heap grow past 400 MB with garbage before it collects.
 */
export const WINDOW_ROWS = 1_000;

export interface ExportProgress {
  /** Open time up to which rows are written (exclusive), and the range's end. */
  through: number;
  to: number;
  rows: number;
}

export interface ExportOptions {
  now?: number;
  onProgress?: (progress: ExportProgress) => void;
  /** Candles per series and window (default WINDOW_ROWS / number of series); the file's rows are the same whatever it is. */
  windowCandles?: number;
  /** Stops the export between two windows or before it completes (Ctrl-C on the command line); nothing is left behind. */
  signal?: AbortSignal;
}

/**
 * Streams the training set into `file`, a time window at a time, ordered by time then series.
 * Returns the metadata; throws ExportEmptyError (leaving the file to the caller) when no row is left.
 */
async function writeTrainingSet(db: Sql, request: ExportRequest, file: string, options: ExportOptions): Promise<TrainingSetMetadata> {
  return streamTrainingSet(db, request, openSink(request.format, file, exportColumns(request.labels)), options);
}

/**
 * The whole training set in memory, rows and metadata, for small sets and tests (files are written
 * by the streaming path above). Unlike the files, an empty set is returned, not an error.
 */
export async function buildTrainingSet(db: Sql, request: ExportRequest, options: ExportOptions = {}): Promise<{ rows: ExportRow[]; metadata: TrainingSetMetadata }> {
  const rows: ExportRow[] = [];
  const sink: TrainingSetSink = { write: async (batch) => void rows.push(...batch), finish: async () => {}, abort: async () => {} };
  const metadata = await streamTrainingSet(db, request, sink, options, true);
  return { rows, metadata };
}

async function streamTrainingSet(db: Sql, request: ExportRequest, sink: TrainingSetSink, options: ExportOptions, allowEmpty = false): Promise<TrainingSetMetadata> {
  const stats = new TrainingSetStats(request);
  const candles = options.windowCandles ?? Math.max(1, Math.floor(WINDOW_ROWS / request.series.length));
  const step = Math.min(...request.series.map((s) => timeframeMs(s.timeframe))) * candles;
  try {
    const seriesStarts = await readSeriesStarts(db, request);
    for (let start = request.from; start < request.to; start += step) {
      options.signal?.throwIfAborted();
      const end = Math.min(request.to, start + step);
      const rows: ExportRow[] = [];
      for (const record of await readWindow(db, request, start, end)) {
        const assembled = assembleRow(record, request.labels, { policy: request.simulated, includeGaps: request.includeGaps, seriesStarts });
        stats.add(record, assembled);
        if (assembled.row) rows.push(assembled.row);
      }
      await sink.write(rows);
      options.onProgress?.({ through: end, to: request.to, rows: stats.exportedRows });
    }
    options.signal?.throwIfAborted();
    const metadata = stats.metadata(options.now ?? Date.now());
    if (!metadata.rows.exported && !allowEmpty) throw new ExportEmptyError(metadata);
    await sink.finish(metadata);
    return metadata;
  } catch (error) {
    await sink.abort();
    throw error;
  }
}

function checkOutput(output: string): void {
  const dir = path.dirname(path.resolve(output));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ExportArgumentError(`output: the folder ${dir} does not exist`);
  if (existsSync(output) && statSync(output).isDirectory()) throw new ExportArgumentError(`output: ${output} is a folder, not a file`);
}

export interface ExportedFiles {
  file: string;
  metadataFile: string;
  metadata: TrainingSetMetadata;
}

/**
 * Writes the training set to `output` and its metadata to `<output>.meta.json`. Both are written
 * to temporary files beside them and renamed at the end: on any failure neither file appears, and
 * an existing file of that name is only replaced by a complete one.
 */
export async function exportTrainingSet(db: Sql, request: ExportRequest, output: string, options: ExportOptions = {}): Promise<ExportedFiles> {
  checkOutput(output);
  const now = options.now ?? Date.now();
  const metadataFile = metadataPathFor(output);
  const suffix = `.tmp-${process.pid}-${now}`;
  try {
    const metadata = await writeTrainingSet(db, request, output + suffix, { ...options, now });
    writeFileSync(metadataFile + suffix, `${JSON.stringify({ ...metadata, file: path.basename(output) }, null, 2)}\n`);
    renameSync(output + suffix, output);
    renameSync(metadataFile + suffix, metadataFile);
    return { file: output, metadataFile, metadata };
  } finally {
    for (const f of [output + suffix, metadataFile + suffix]) rmSync(f, { force: true });
  }
}

export interface TrainingSetDownload {
  filename: string;
  contentType: string;
  /** A temporary file holding the bytes; `size` is its length (the Content-Length). */
  path: string;
  size: number;
  metadata: TrainingSetMetadata;
  /** Removes the temporary file. */
  dispose: () => void;
}

export function downloadFilename(request: ExportRequest): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const symbols = [...new Set(request.series.map((s) => s.symbol.replace(/[^A-Za-z0-9]+/g, '')))];
  const timeframes = [...new Set(request.series.map((s) => s.timeframe))];
  const parts = [
    symbols.length > 3 ? `${symbols.length}symbols` : symbols.join('-'),
    timeframes.join('-'),
    request.labels.length > 2 ? `${request.labels.length}labels` : request.labels.map((l) => l.name).join('-'),
    day(request.from),
    day(request.to - 1),
  ];
  return `${parts.join('_')}.${request.format}`;
}

/**
 * The same export, written to a temporary file for the dashboard to send with its length (readers
 * such as polars.read_parquet(url) need Content-Length). The caller disposes of it once sent.
 */
export async function trainingSetDownload(db: Sql, request: ExportRequest, options: ExportOptions = {}): Promise<TrainingSetDownload> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-export-'));
  const dispose = () => rmSync(dir, { recursive: true, force: true });
  const filename = downloadFilename(request);
  try {
    const file = path.join(dir, filename);
    const metadata = await writeTrainingSet(db, request, file, options);
    return {
      filename,
      contentType: request.format === 'parquet' ? 'application/vnd.apache.parquet' : 'text/csv; charset=utf-8',
      path: file,
      size: statSync(file).size,
      metadata,
      dispose,
    };
  } catch (error) {
    dispose();
    throw error;
  }
}
