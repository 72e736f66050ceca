import { loadGaps } from '@/lib/dashboard/loaders';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { gapsQuery } from '@/lib/zod/dashboard';

export const dynamic = 'force-dynamic';

/** GET /api/quality/gaps?symbol=BTC/USDT&timeframe=1h&page=1&pageSize=25: the series' gaps over its whole history, newest first. */
export const GET = jsonRoute(async (request) => loadGaps(parseQuery(request, gapsQuery)), { cache: 'no-store' });
