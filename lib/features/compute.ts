import type { Candle } from '@/lib/market/candle';
import { FEATURE_COLUMNS, type FeatureColumn, type OhlcvFeatures } from './definitions';
import { OhlcvFeatureEngine } from './engine';
import { allocateFeatureColumns, runFeatureColumns, type CandleColumns, type FeatureColumnArrays } from './kernel';
import { toFeatureRow } from './stream';

/**
 * Features for every candle, one row per candle in the same order. Runs the engine's column
 * kernel, whose numbers are the streaming update's bit for bit.
 */
export function computeOhlcvFeatures(candles: readonly Candle[]): OhlcvFeatures[] {
  assertAscendingUnique(candles);
  const columns = computeFeatureColumns(toCandleColumns(candles));
  const rows = new Array<OhlcvFeatures>(candles.length);
  const values = new Float64Array(columns.length);
  for (let i = 0; i < candles.length; i++) {
    for (let c = 0; c < columns.length; c++) values[c] = columns[c]![i]!;
    rows[i] = toFeatureRow(values);
  }
  return rows;
}

/**
 * The same features as columns (one Float64Array per feature, NaN where the row form has null):
 * for bulk work where a million row objects would cost more than the maths.
 */
export function computeOhlcvFeatureColumns(candles: readonly Candle[]): Record<FeatureColumn, Float64Array> {
  assertAscendingUnique(candles);
  const columns = computeFeatureColumns(toCandleColumns(candles));
  return Object.fromEntries(FEATURE_COLUMNS.map((name, c) => [name, columns[c]])) as Record<FeatureColumn, Float64Array>;
}

/** Features of a whole series given as columns, ordered like FEATURE_COLUMNS: the fastest path. */
export function computeFeatureColumns(candles: CandleColumns): FeatureColumnArrays {
  const out = allocateFeatureColumns(candles.close.length);
  runFeatureColumns(new OhlcvFeatureEngine(), candles, out);
  return out;
}

/** Candle objects as columns. */
export function toCandleColumns(candles: readonly Candle[]): CandleColumns {
  const n = candles.length;
  const columns: CandleColumns = {
    timestamp: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const candle = candles[i]!;
    columns.timestamp[i] = candle.timestamp;
    columns.open[i] = candle.open;
    columns.high[i] = candle.high;
    columns.low[i] = candle.low;
    columns.close[i] = candle.close;
    columns.volume[i] = candle.volume;
  }
  return columns;
}

/** Throws naming the first offending position when candles are not strictly ascending in time. */
export function assertAscendingUnique(candles: readonly Candle[]): void {
  for (let i = 1; i < candles.length; i++) {
    const previous = candles[i - 1].timestamp;
    const current = candles[i].timestamp;
    if (current > previous) continue;
    const problem = current === previous ? 'duplicate timestamp' : 'timestamp goes backwards';
    throw new Error(
      `Candles must be sorted ascending by timestamp without duplicates: ${problem} at index ${i} ` +
        `(${formatTime(current)} after ${formatTime(previous)} at index ${i - 1})`,
    );
  }
}

function formatTime(timestamp: number): string {
  const date = new Date(timestamp);
  return Number.isNaN(date.getTime()) ? String(timestamp) : date.toISOString();
}
