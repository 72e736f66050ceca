import { loadSentiment } from '@/lib/dashboard/loaders';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { sentimentQuery } from '@/lib/zod/dashboard';

export const dynamic = 'force-dynamic';

/** GET /api/sentiment?symbol=BTC/USDT&range=90d[&end=ISO]: sentiment means per hour or day, and which inputs were real. */
export const GET = jsonRoute(async (request) => loadSentiment(parseQuery(request, sentimentQuery)), {
  cache: 'private, max-age=30',
});
