import { DEFAULT_PAGE_SIZE } from './defaults';
import { timestampOf, type CandleSource } from './source';
import { timeframeMs } from './timeframe';

export interface PageRequest {
  symbol: string;
  timeframe: string;
  /** First open time wanted (inclusive). */
  since: number;
  /** Last open time wanted (inclusive); paging stops after it. */
  until: number;
  pageSize?: number;
}

/**
 * Pages through a source from `since` to `until`, oldest first, yielding each page as received.
 * Stops at a short or empty page, at `until`, or when a page does not move forward (a source that
 * ignores `since` must not loop forever).
 */
export async function* fetchCandlePages(source: CandleSource, request: PageRequest): AsyncGenerator<unknown[]> {
  const size = timeframeMs(request.timeframe);
  const pageSize = request.pageSize ?? DEFAULT_PAGE_SIZE;
  let since = request.since;
  while (since <= request.until) {
    const rows = await source.fetchCandles(request.symbol, request.timeframe, since, pageSize);
    const newest = rows.reduce<number | undefined>((max, row) => {
      const t = timestampOf(row);
      return t !== undefined && (max === undefined || t > max) ? t : max;
    }, undefined);
    if (rows.length) yield rows;
    if (newest === undefined || newest < since || rows.length < pageSize) return;
    since = newest + size;
  }
}
