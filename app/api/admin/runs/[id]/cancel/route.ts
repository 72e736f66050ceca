import { z } from 'zod';
import { requireAdmin } from '@/lib/auth/session';
import { getPool } from '@/lib/db/pool';
import { ApiError } from '@/lib/http/errors';
import { jsonRoute } from '@/lib/http/handler';
import { assertSameOrigin } from '@/lib/http/same-origin';
import { getBoss } from '@/lib/jobs/client';
import { cancelRun, RunNotCancellable } from '@/lib/jobs/runs';

export const dynamic = 'force-dynamic';

export async function POST(request: Request, { params }: { params: Promise<{ id: string }> }) {
  return jsonRoute(async () => {
    assertSameOrigin(request);
    await requireAdmin();
    const id = z.uuid({ error: 'id: not a run id' }).parse((await params).id);
    try {
      await cancelRun(getPool(), await getBoss(), id);
    } catch (error) {
      if (error instanceof RunNotCancellable) throw new ApiError(409, error.message);
      throw error;
    }
    return { cancelled: id };
  })(request);
}
