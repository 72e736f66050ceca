import { loadIndicators } from '@/lib/dashboard/loaders';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { indicatorQuery } from '@/lib/zod/dashboard';

export const dynamic = 'force-dynamic';

/** GET /api/indicators?symbol=BTC/USDT&timeframe=1h&range=30d[&end=ISO][&points=1000]: candles and indicators for the chart. */
export const GET = jsonRoute(async (request) => loadIndicators(parseQuery(request, indicatorQuery)), {
  // The page refreshes every minute; a short private cache absorbs re-renders and back/forward.
  cache: 'private, max-age=15',
});
