import { requireAdmin } from '@/lib/auth/session';
import { jsonRoute, type HandlerOptions, type RouteHandler } from './handler';
import { assertSameOrigin } from './same-origin';

/**
 * An admin route: the request must come from this site (for anything but reads) and carry an admin
 * session, checked before `work` runs; a refusal is a 403 or 401 and does nothing.
 */
export function adminRoute<T, C = unknown>(work: (request: Request, context: C) => Promise<T>, options?: HandlerOptions): RouteHandler<C> {
  return jsonRoute(async (request, context: C) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') assertSameOrigin(request);
    await requireAdmin();
    return work(request, context);
  }, options);
}

