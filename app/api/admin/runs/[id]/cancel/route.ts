import { z } from 'zod';
import { getPool } from '@/lib/db/pool';
import { adminRoute } from '@/lib/http/admin-route';
import { getBoss } from '@/lib/jobs/client';
import { cancelRun } from '@/lib/jobs/runs';

export const dynamic = 'force-dynamic';

/** POST /api/admin/runs/<id>/cancel: cancels a queued run; one a worker already took is a 409. */
export const POST = adminRoute(async (_request, { params }: { params: Promise<{ id: string }> }) => {
  const id = z.uuid({ error: 'id: not a run id' }).parse((await params).id);
  await cancelRun(getPool(), await getBoss(), id);
  return { cancelled: id };
});
