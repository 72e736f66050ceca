import { loadSeries } from '@/lib/dashboard/loaders';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

/** GET /api/series: every stored (symbol, timeframe) with its newest candle, for the pickers. */
export const GET = jsonRoute(loadSeries, { cache: 'private, max-age=30' });
