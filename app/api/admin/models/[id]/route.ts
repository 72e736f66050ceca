import { z } from 'zod';
import { getPrisma } from '@/lib/db/prisma';
import { adminRoute } from '@/lib/http/admin-route';
import { parseBody } from '@/lib/http/handler';
import { changeStatus } from '@/lib/models';
import { modelIdParam } from '@/lib/models/queries';

export const dynamic = 'force-dynamic';

const actionBody = z.object({ action: z.enum(['activate', 'retire', 'rollback'], { error: 'action must be activate, retire or rollback' }) });

/** POST /api/admin/models/<name@version> {"action": "activate" | "retire" | "rollback"}: the name's versions afterwards. */
export const POST = adminRoute(async (request, { params }: { params: Promise<{ id: string }> }) => {
  const id = modelIdParam.parse(decodeURIComponent((await params).id));
  const { action } = await parseBody(request, actionBody, '{"action": "activate" | "retire" | "rollback"}');
  return { versions: await changeStatus(getPrisma(), id, action) };
});
