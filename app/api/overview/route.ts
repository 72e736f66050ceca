import { getOverview } from '@/lib/dashboard/overview';
import { config } from '@/lib/config/env';
import { getPool } from '@/lib/db/pool';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

/** GET /api/overview: tracked and stored series with freshness and latest values, and today's fallback rate. */
export const GET = jsonRoute(
  async () => getOverview(getPool(), { now: Date.now(), trackedSymbols: config().TRACKED_SYMBOLS, trackedTimeframes: config().TRACKED_TIMEFRAMES }),
  { cache: 'no-store' },
);
