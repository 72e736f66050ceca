import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import type { Candle } from './candle';
import { CandleCsvError, parseCandlesCsv, standardReader, type CandleCsvLayout, type CsvRow } from './csv';

/**
 * A candle CSV read in batches, so a file of any size is parsed in bounded memory: the standard
 * layout (oldest first) streams; the CryptoDataDownload layout is newest first, so it is read whole
 * and then batched (its files are small: one per pair and timeframe, a few MB).
 */
export interface CandleBatch {
  candles: Candle[];
  /** Bytes of the file consumed so far, for progress. */
  bytesRead: number;
  /** The 1-based line of the last row in the batch (for resuming and messages). */
  lastLine: number;
}

export interface CandleBatches {
  layout: CandleCsvLayout;
  totalBytes: number;
  batches: AsyncGenerator<CandleBatch>;
}

async function firstLines(file: string): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/, 3);
  } finally {
    await handle.close();
  }
}

export async function readCandleBatches(file: string, batchSize = 10_000): Promise<CandleBatches> {
  const totalBytes = (await stat(file)).size;
  const [first = '', second = ''] = await firstLines(file);
  const banner = /^\s*https?:\/\//i.test(first);
  const header = (banner ? second : first).split(',')[0]?.trim().toLowerCase();
  if (header === 'unix') return { layout: 'cryptodatadownload', totalBytes, batches: wholeFile(file, totalBytes, batchSize) };
  return { layout: 'standard', totalBytes, batches: streamed(file, batchSize, banner ? 2 : 1) };
}

async function* wholeFile(file: string, totalBytes: number, batchSize: number): AsyncGenerator<CandleBatch> {
  const { candles } = parseCandlesCsv(await readFile(file, 'utf8'));
  for (let i = 0; i < candles.length; i += batchSize) {
    yield { candles: candles.slice(i, i + batchSize), bytesRead: Math.round(totalBytes * Math.min(1, (i + batchSize) / candles.length)), lastLine: 0 };
  }
}

async function* streamed(file: string, batchSize: number, fromLine: number): AsyncGenerator<CandleBatch> {
  const parser = createReadStream(file).pipe(
    parse({ bom: true, from_line: fromLine, info: true, relax_column_count: true, skip_empty_lines: true, trim: true }),
  );
  let reader: ReturnType<typeof standardReader> | undefined;
  let batch: Candle[] = [];
  let last = { bytes: 0, line: 0 };
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      const row: CsvRow = { fields: record, line: info.lines };
      last = { bytes: info.bytes, line: info.lines };
      if (!reader) {
        reader = standardReader(row, record.map((name) => name.trim().toLowerCase()));
        continue;
      }
      batch.push(reader.read(row));
      if (batch.length >= batchSize) {
        yield { candles: batch, bytesRead: last.bytes, lastLine: last.line };
        batch = [];
      }
    }
  } catch (error) {
    if (error instanceof CandleCsvError) throw error;
    throw new CandleCsvError((error as { lines?: number }).lines ?? last.line + 1, `not valid CSV: ${(error as Error).message}`);
  } finally {
    parser.destroy();
  }
  if (!reader) throw new CandleCsvError(1, 'the file is empty; expected a header line');
  if (batch.length) yield { candles: batch, bytesRead: last.bytes, lastLine: last.line };
}
