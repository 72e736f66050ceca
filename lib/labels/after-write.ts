import type { Sessions } from '@/lib/db/sql';
import { horizonMs } from './compute';
import { VOLATILITY_WINDOW, type LabelSpec } from './definitions';
import { generateLabels, LabelRequestError, type GenerateLabelsResult } from './generate';
import { DEFAULT_SPEC_LIST } from './specs';
import { timeframeMs } from '@/lib/market/timeframe';

export interface LabelWrittenRequest {
  symbol: string;
  timeframe: string;
  /** Open times of the candles written (inclusive). */
  range: { from: number; to: number };
  specs?: readonly LabelSpec[];
  /** The sector_rotation basket besides `symbol` (the tracked symbols). */
  basket?: readonly string[];
}

/**
 * After candles were written (import, backfill): every label whose inputs include a written
 * candle, i.e. label times from `range.from − longest horizon` (outcome windows reaching into the
 * range) to `range.to + 24 candles` (volatility windows reaching into it).
 */
export async function labelWrittenCandles(deps: { sessions: Sessions; now?: () => number }, request: LabelWrittenRequest): Promise<GenerateLabelsResult> {
  const specs = request.specs ?? DEFAULT_SPEC_LIST;
  const step = timeframeMs(request.timeframe);
  const longest = Math.max(...specs.map((s) => horizonMs(s.horizon)));
  try {
    return await generateLabels(deps, {
      symbols: [request.symbol, ...(request.basket ?? []).filter((s) => s !== request.symbol)],
      timeframe: request.timeframe,
      specs,
      from: request.range.from - longest,
      to: request.range.to + VOLATILITY_WINDOW * step,
    });
  } catch (error) {
    // The candles are stored either way; a timeframe no spec fits has no labels, and says why.
    if (!(error instanceof LabelRequestError)) throw error;
    return { computed: {}, written: {}, skipped: { [request.timeframe]: error.message }, basket: null, range: null, settledThrough: null };
  }
}
