import type { Candle } from '@/lib/market/candle';
import { FEATURE_COLUMNS, type FeatureColumn, type OhlcvFeatures } from './definitions';
import { OhlcvFeatureEngine } from './engine';
import { OhlcvFeatureStream } from './stream';

/**
 * Features for every candle, one row per candle in the same order. Runs the streaming
 * implementation, so batch and stream results are the same numbers.
 */
export function computeOhlcvFeatures(candles: readonly Candle[]): OhlcvFeatures[] {
  assertAscendingUnique(candles);
  const stream = new OhlcvFeatureStream();
  const rows = new Array<OhlcvFeatures>(candles.length);
  for (let i = 0; i < candles.length; i++) rows[i] = stream.update(candles[i]);
  return rows;
}

/**
 * The same features as columns (one Float64Array per feature, NaN where the row form has null):
 * for bulk work where a million row objects would cost more than the maths.
 */
export function computeOhlcvFeatureColumns(candles: readonly Candle[]): Record<FeatureColumn, Float64Array> {
  assertAscendingUnique(candles);
  const engine = new OhlcvFeatureEngine();
  const columns = FEATURE_COLUMNS.map(() => new Float64Array(candles.length));
  const values = engine.values;
  for (let i = 0; i < candles.length; i++) {
    engine.step(candles[i]);
    for (let c = 0; c < columns.length; c++) columns[c][i] = values[c];
  }
  return Object.fromEntries(FEATURE_COLUMNS.map((name, c) => [name, columns[c]])) as Record<FeatureColumn, Float64Array>;
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
