import { z } from 'zod';
import { config } from '@/lib/config/env';
import { getPool } from '@/lib/db/pool';
import { isSaneInstant, SANE_INSTANT_MESSAGE } from '@/lib/market/time';
import { adminRoute } from '@/lib/http/admin-route';
import { parseBody, parseQuery } from '@/lib/http/handler';
import { getBoss } from '@/lib/jobs/client';
import { listRuns, requestRuns } from '@/lib/jobs/runs';
import { runRequestsFor, triggerSchema } from '@/lib/jobs/trigger';

export const dynamic = 'force-dynamic';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.iso.datetime({ offset: true }).refine((value) => isSaneInstant(Date.parse(value)), SANE_INSTANT_MESSAGE).optional(),
});

export const GET = adminRoute(async (request) => {
  const { limit, before } = parseQuery(request, listQuery);
  const runs = await listRuns(getPool(), { limit, before });
  return { runs, next: runs.length === limit ? runs.at(-1)!.createdAt : null };
});

export const POST = adminRoute(async (request) => {
  const trigger = await parseBody(request, triggerSchema(config()), '{"kind": …, "symbols": […], "timeframes": […], "from"?, "to"?}');
  const ids = await requestRuns(getPool(), await getBoss(), runRequestsFor(trigger), 'admin');
  return { runIds: ids };
}, { status: 201 });
