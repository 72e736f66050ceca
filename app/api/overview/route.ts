import { loadOverview } from '@/lib/dashboard/loaders';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

/** GET /api/overview: tracked and stored series with freshness and latest values, and today's fallback rate. */
export const GET = jsonRoute(loadOverview, { cache: 'no-store' });
