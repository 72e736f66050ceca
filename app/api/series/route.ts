import { listStoredSeries } from '@/lib/dashboard/series';
import { getPool } from '@/lib/db/pool';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

/** GET /api/series: every stored (symbol, timeframe) with its newest candle, for the pickers. */
export const GET = jsonRoute(async () => ({ series: await listStoredSeries(getPool()) }), { cache: 'private, max-age=30' });
