import { z } from 'zod';
import { requireAdmin } from '@/lib/auth/session';
import { config } from '@/lib/config/env';
import { getPool } from '@/lib/db/pool';
import { badRequest } from '@/lib/http/errors';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { assertSameOrigin } from '@/lib/http/same-origin';
import { getBoss } from '@/lib/jobs/client';
import { listRuns, requestRuns } from '@/lib/jobs/runs';
import { runRequestsFor, triggerSchema } from '@/lib/jobs/trigger';

export const dynamic = 'force-dynamic';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).optional(),
});

export const GET = jsonRoute(async (request) => {
  await requireAdmin();
  const { limit, before } = parseQuery(request, listQuery);
  const runs = await listRuns(getPool(), { limit, before });
  return { runs, next: runs.length === limit ? runs.at(-1)!.createdAt : null };
});

export const POST = jsonRoute(async (request) => {
  assertSameOrigin(request);
  await requireAdmin();
  const body: unknown = await request.json().catch(() => {
    throw badRequest('the body must be JSON: {"kind": …, "symbols": […], "timeframes": […], "from"?, "to"?}');
  });
  const trigger = triggerSchema(config()).parse(body);
  const ids = await requestRuns(getPool(), await getBoss(), runRequestsFor(trigger), 'admin');
  return { runIds: ids };
}, { status: 201 });
