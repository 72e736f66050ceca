import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { predictionSeries, predictionsQuery } from '@/lib/models/queries';

export const dynamic = 'force-dynamic';

/** GET /api/predictions?model=name@version&symbol=BTC/USDT&from=ISO&to=ISO: predictions with the close and the realized label. */
export const GET = jsonRoute(async (request) => predictionSeries({ pool: getPool(), prisma: getPrisma() }, parseQuery(request, predictionsQuery)), {
  cache: 'private, max-age=30',
});
