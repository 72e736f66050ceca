import { loadLabels } from '@/lib/dashboard/loaders';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { labelQuery } from '@/lib/zod/dashboard';

export const dynamic = 'force-dynamic';

/** GET /api/labels?symbol=BTC/USDT[&labelType=direction][&horizon=4h]&range=90d[&end=ISO]: label values per day, balance, returns. */
export const GET = jsonRoute(async (request) => loadLabels(parseQuery(request, labelQuery)), {
  cache: 'private, max-age=30',
});
