import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { listModelSummaries, modelListQuery } from '@/lib/models/queries';

export const dynamic = 'force-dynamic';

/** GET /api/models[?status=active][&kind=onnx]: every registered version, and the features a model may use. */
export const GET = jsonRoute(async (request) => listModelSummaries({ pool: getPool(), prisma: getPrisma() }, parseQuery(request, modelListQuery)));
