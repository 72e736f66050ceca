/**
 * A source of candles: an exchange through ccxt in production, anything else in principle. It
 * returns rows as received (validation decides what becomes a candle) and fails with a
 * SourceError saying what went wrong and whether falling back to simulated data is appropriate.
 */
export interface CandleSource {
  /** Recorded as `source` on stored rows and attempts, e.g. 'binance'. */
  readonly id: string;
  /** Up to `limit` rows with open time ≥ `since`, oldest first, as [t, o, h, l, c, v] tuples. */
  fetchCandles(symbol: string, timeframe: string, since: number, limit: number): Promise<unknown[]>;
}

/** The open time of a row as received, if it has a usable one. */
export function timestampOf(row: unknown): number | undefined {
  const value = Array.isArray(row) ? row[0] : row !== null && typeof row === 'object' ? (row as { timestamp?: unknown }).timestamp : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * transient kinds (the source may answer later) lead to a fallback; `rejected` (the source refused
 * the request: unknown symbol, bad parameters) is a configuration problem and leads to `failed`.
 */
export type SourceFailureKind = 'network' | 'timeout' | 'rate_limit' | 'unavailable' | 'malformed' | 'empty' | 'circuit_open' | 'rejected';

export class SourceError extends Error {
  override name = 'SourceError';
  constructor(
    readonly kind: SourceFailureKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get transient(): boolean {
    return this.kind !== 'rejected';
  }
}
