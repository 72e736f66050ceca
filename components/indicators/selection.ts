import { pointBudget } from '@/lib/dashboard/buckets';
import type { StoredSeries } from '@/lib/dashboard/series';
import { rangeKeyOr } from '@/lib/market/range';
import { compareTimeframes } from '@/lib/market/timeframe';

export interface IndicatorParams {
  symbol?: string;
  timeframe?: string;
  range?: string;
  end?: string;
  [key: string]: string | undefined;
}

/**
 * Which series and window the indicators page shows: the URL's choice, else BTC/USDT 1h when
 * stored, else the first stored series. The page (on the server) and the explorer (in the browser)
 * decide alike, so the server's first chart is the one the browser would have asked for.
 */
export function chooseChart(stored: readonly StoredSeries[], params: IndicatorParams) {
  const symbols = [...new Set(stored.map((s) => s.symbol))];
  const symbol = params.symbol ?? (symbols.includes('BTC/USDT') ? 'BTC/USDT' : symbols[0]);
  const timeframes = stored.filter((s) => s.symbol === symbol).map((s) => s.timeframe).sort(compareTimeframes);
  const timeframe = params.timeframe ?? (timeframes.includes('1h') ? '1h' : (timeframes[0] ?? '1h'));
  return { symbols, symbol, timeframes, timeframe, range: rangeKeyOr(params.range, '30d'), end: params.end };
}

/** Points per chart from the window's width (page padding and the price axis taken off). */
export const pointsForWidth = (innerWidth: number) => pointBudget(Math.min(innerWidth, 1280) - 140);

/** The server cannot measure: it plans for the widest layout, which most screens are. */
export const SERVER_POINTS = pointsForWidth(1280);
