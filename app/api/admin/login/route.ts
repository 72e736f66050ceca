import { adminMethod, checkCredentials } from '@/lib/auth/credentials';
import { signIn } from '@/lib/auth/session';
import { GlobalCeiling, LoginThrottle } from '@/lib/auth/throttle';
import { config } from '@/lib/config/env';
import { DomainError, forbidden } from '@/lib/errors';
import { jsonRoute } from '@/lib/http/handler';
import { readCredentials } from '@/lib/http/login-body';
import { peerOf } from '@/lib/http/peer';
import { seeOther } from '@/lib/http/redirect';
import { assertSameOrigin } from '@/lib/http/same-origin';

export const dynamic = 'force-dynamic';

const throttle = new LoginThrottle();
const ceiling = new GlobalCeiling();
const FAILURE_DELAY_MS = 400;

const FORM_ERROR_CODES: Record<number, string> = { 400: 'invalid', 401: 'invalid', 403: 'origin', 429: 'locked' };

/**
 * Sign in with ADMIN_TOKEN (or username and password), as a plain HTML form post or as JSON. A
 * form gets redirects (to /admin, or back with ?error=); JSON gets the status and a message.
 */
async function attempt(request: Request): Promise<void> {
  assertSameOrigin(request);
  if (adminMethod(config()) === 'disabled') throw forbidden('the admin area is disabled: set ADMIN_TOKEN (or ADMIN_USERNAME and ADMIN_PASSWORD)');
  const credentials = await readCredentials(request);
  const client = peerOf(request).client;
  const waitMs = Math.max(throttle.retryAfterMs(client), ceiling.retryAfterMs());
  if (waitMs > 0) {
    const seconds = String(Math.ceil(waitMs / 1000));
    throw new DomainError('rate_limited', `too many failed sign-ins: try again in ${seconds} s`, { headers: { 'Retry-After': seconds } });
  }
  if (!checkCredentials(config(), credentials)) {
    throttle.recordFailure(client);
    ceiling.recordFailure();
    await new Promise((resolve) => setTimeout(resolve, FAILURE_DELAY_MS));
    throw new DomainError('unauthorized', 'wrong credentials');
  }
  await signIn(request);
  throttle.recordSuccess(client);
}

const jsonAttempt = jsonRoute(async (request) => {
  await attempt(request);
  return { ok: true };
});

export async function POST(request: Request) {
  if ((request.headers.get('content-type') ?? '').includes('application/json')) return jsonAttempt(request);
  const reply = await jsonAttempt(request);
  if (reply.ok) return seeOther('/admin');
  if (reply.status === 403 && (await reply.clone().json()).error?.includes('disabled')) {
    return seeOther('/admin/login?error=disabled');
  }
  const code = FORM_ERROR_CODES[reply.status];
  if (!code) return reply; // 503 and the like: the page cannot help, the status says what happened
  const headers = reply.headers.get('retry-after') ? { 'Retry-After': reply.headers.get('retry-after')! } : undefined;
  return seeOther(`/admin/login?error=${code}`, headers);
}
