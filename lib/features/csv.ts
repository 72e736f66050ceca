import { readFile, writeFile } from 'node:fs/promises';
import { formatTimestamp, parseCandlesCsv, type ParsedCandleCsv } from '@/lib/market/csv';
import { computeOhlcvFeatureColumns } from './compute';
import { FEATURE_COLUMNS } from './definitions';

/**
 * Candle CSV in (either layout lib/market/csv.ts reads), feature CSV out: a `timestamp` column
 * written the way the input wrote it (ISO-8601 or unix ms), then one column per feature named as
 * in FEATURE_COLUMNS (seed 16 first), an empty cell where a feature has no value yet.
 * Throws CandleCsvError (with the line number) on bad input.
 */
export function computeFeaturesCsv(inputText: string): string {
  return featuresCsvOf(parseCandlesCsv(inputText));
}

export interface FeaturesFileSummary {
  candles: number;
  layout: ParsedCandleCsv['layout'];
  timestampFormat: ParsedCandleCsv['timestampFormat'];
}

/** computeFeaturesCsv from one file into another. */
export async function computeFeaturesFile(inputPath: string, outputPath: string): Promise<FeaturesFileSummary> {
  const parsed = parseCandlesCsv(await readFile(inputPath, 'utf8'));
  await writeFile(outputPath, featuresCsvOf(parsed));
  return { candles: parsed.candles.length, layout: parsed.layout, timestampFormat: parsed.timestampFormat };
}

function featuresCsvOf({ candles, timestampFormat }: ParsedCandleCsv): string {
  const features = computeOhlcvFeatureColumns(candles);
  const columns = FEATURE_COLUMNS.map((name) => features[name]);
  const lines = [['timestamp', ...FEATURE_COLUMNS].join(',')];
  // Cells are numbers and timestamps, which never need CSV quoting. String() gives the shortest
  // text that reads back as the same double.
  for (let i = 0; i < candles.length; i++) {
    let line = formatTimestamp(candles[i].timestamp, timestampFormat);
    for (const column of columns) line += column[i] === column[i] ? `,${column[i]}` : ',';
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}
