import { config } from '@/lib/config/env';
import { getQualityReport } from '@/lib/dashboard/quality/report';
import { getPool } from '@/lib/db/pool';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { qualityQuery } from '@/lib/zod/dashboard';

export const dynamic = 'force-dynamic';

/** GET /api/quality?days=30: fallback and simulated rates, freshness, gaps, validation failures, storage and retention. */
export const GET = jsonRoute(
  async (request) => getQualityReport(getPool(), { ...parseQuery(request, qualityQuery), now: Date.now(), embedded: config().DATABASE_EMBEDDED }),
  { cache: 'private, max-age=15' },
);
