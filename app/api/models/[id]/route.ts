import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { modelDetail, modelDetailQuery, modelIdParam } from '@/lib/models/queries';

export const dynamic = 'force-dynamic';

/**
 * GET /api/models/<name@version>[?symbol=BTC/USDT][&recentDays=30][&end=ISO][&window=168]: the version, its
 * walk-forward evaluation beside the majority baseline, realized accuracy and calibration, and drift.
 */
export const GET = jsonRoute(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const id = modelIdParam.parse(decodeURIComponent((await params).id));
  return modelDetail({ pool: getPool(), prisma: getPrisma() }, id, parseQuery(request, modelDetailQuery));
});
