import { loadQuality } from '@/lib/dashboard/loaders';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { qualityQuery } from '@/lib/zod/dashboard';

export const dynamic = 'force-dynamic';

/** GET /api/quality?days=30: fallback and simulated rates, freshness, gaps, validation failures, storage and retention. */
export const GET = jsonRoute(async (request) => loadQuality(parseQuery(request, qualityQuery)), { cache: 'private, max-age=15' });
