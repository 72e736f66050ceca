import { forbidden } from '@/lib/errors';

/**
 * State-changing admin requests must come from this site. SameSite=strict cookies already keep
 * other sites' requests unauthenticated; this refuses them outright when the browser says where
 * they came from.
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  if (!origin) return;
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  if (new URL(origin).host !== host) throw forbidden(`cross-site request from ${origin} refused`);
}
