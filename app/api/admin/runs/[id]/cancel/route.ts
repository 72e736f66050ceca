import { z } from 'zod';
import { getPrisma } from '@/lib/db/prisma';
import { adminRoute } from '@/lib/http/admin-route';
import { getBoss } from '@/lib/jobs/client';
import { cancelRun } from '@/lib/jobs/runs';

export const dynamic = 'force-dynamic';

/** POST /api/admin/runs/<id>/cancel: cancels a queued run; one a worker already took is a 409, an unknown one a 404. */
export const POST = adminRoute(async (_request, { params }: { params: Promise<{ id: string }> }) => {
  const id = z.uuid({ error: 'id: not a run id' }).parse((await params).id);
  await cancelRun(getPrisma(), await getBoss(), id);
  return { cancelled: id };
});
