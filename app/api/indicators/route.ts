import { compactColumns } from '@/lib/dashboard/compact';
import { indicatorResponses } from '@/lib/dashboard/indicator-cache';
import { loadIndicators } from '@/lib/dashboard/loaders';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { cachedJsonResponse } from '@/lib/http/response-cache';
import { indicatorQuery } from '@/lib/zod/dashboard';

export const dynamic = 'force-dynamic';

// The page refreshes every minute; a short private cache absorbs re-renders and back/forward.
const CACHE_CONTROL = 'private, max-age=15';

/**
 * GET /api/indicators?symbol=BTC/USDT&timeframe=1h&range=30d[&end=ISO][&points=1000]: candles and
 * indicators for the chart, column-wise, rounded to what a chart shows, compressed (br or gzip) and
 * with an ETag (304 on If-None-Match). Identical requests share one read until a candle is stored.
 * `npm start` answers this route from scripts/web.ts, outside Next's request pipeline.
 */
export const GET = jsonRoute(async (request) => {
  const query = parseQuery(request, indicatorQuery);
  const key = JSON.stringify([query.symbol, query.timeframe, query.range, query.end ?? null, query.points]);
  const entry = await indicatorResponses().get(key, async () => {
    const series = await loadIndicators(query);
    return { ...series, columns: compactColumns(series.columns) };
  });
  return cachedJsonResponse(request, entry, CACHE_CONTROL);
});
