import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildTrainingSet, type Sql, type TrainingSetMetadata } from './dataset';
import { encodeTrainingSet } from './encode';
import { ExportArgumentError, type ExportRequest } from './request';
import { DomainError } from '@/lib/errors';

/** Writing a training set to files (the command line) or to bytes (the dashboard download). */

/** Nothing to export: every candidate row was excluded, or there were none. Exit code 1 / HTTP 404. */
export class ExportEmptyError extends DomainError {
  override name = 'ExportEmptyError';
  constructor(readonly metadata: TrainingSetMetadata) {
    const reasons = Object.entries(metadata.excluded)
      .filter(([, v]) => v.count > 0)
      .map(([k, v]) => `${k}: ${v.count}`)
      .join(', ');
    super(
      'not_found',
      metadata.rows.candidates === 0
        ? `nothing to export: no ${metadata.timeframe} candles of ${metadata.symbol} from ${metadata.range.from} to ${metadata.range.to_exclusive}`
        : `nothing to export: all ${metadata.rows.candidates} candles were excluded (${reasons})${metadata.include_simulated ? '' : '; --include-simulated keeps simulated rows'}`,
      { details: metadata },
    );
  }
}

export const metadataPathFor = (output: string) => `${output}.meta.json`;

export interface ExportedFiles {
  file: string;
  metadataFile: string;
  metadata: TrainingSetMetadata;
}

function checkOutput(output: string): void {
  const dir = path.dirname(path.resolve(output));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ExportArgumentError(`output: the folder ${dir} does not exist`);
  if (existsSync(output) && statSync(output).isDirectory()) throw new ExportArgumentError(`output: ${output} is a folder, not a file`);
}

/**
 * Writes the training set to `output` and its metadata to `<output>.meta.json`. Both are written
 * to temporary files first and renamed at the end: on any failure neither file appears.
 */
export async function exportTrainingSet(db: Sql, request: ExportRequest, output: string, now: number = Date.now()): Promise<ExportedFiles> {
  checkOutput(output);
  const { rows, metadata } = await buildTrainingSet(db, request, now);
  if (!rows.length) throw new ExportEmptyError(metadata);
  const body = encodeTrainingSet(request.format, rows, metadata);
  const metadataFile = metadataPathFor(output);
  const suffix = `.tmp-${process.pid}-${now}`;
  try {
    writeFileSync(output + suffix, body);
    writeFileSync(metadataFile + suffix, `${JSON.stringify({ ...metadata, file: path.basename(output) }, null, 2)}\n`);
    renameSync(output + suffix, output);
    renameSync(metadataFile + suffix, metadataFile);
  } catch (error) {
    for (const f of [output + suffix, metadataFile + suffix]) rmSync(f, { force: true });
    throw error;
  }
  return { file: output, metadataFile, metadata };
}

export interface TrainingSetDownload {
  filename: string;
  contentType: string;
  body: Buffer;
  metadata: TrainingSetMetadata;
}

/** The same export as bytes, for the dashboard to send as a download (metadata as JSON beside it). */
export async function trainingSetDownload(db: Sql, request: ExportRequest, now: number = Date.now()): Promise<TrainingSetDownload> {
  const { rows, metadata } = await buildTrainingSet(db, request, now);
  if (!rows.length) throw new ExportEmptyError(metadata);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const filename = `${request.symbol.replace(/[^A-Za-z0-9]+/g, '')}_${request.timeframe}_${request.label}_${request.horizon}_${day(request.from)}_${day(request.to - 1)}.${request.format}`;
  return {
    filename,
    contentType: request.format === 'parquet' ? 'application/vnd.apache.parquet' : 'text/csv; charset=utf-8',
    body: encodeTrainingSet(request.format, rows, metadata),
    metadata,
  };
}
