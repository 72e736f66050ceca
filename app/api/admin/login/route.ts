import { NextResponse } from 'next/server';
import { checkCredentials } from '@/lib/auth/credentials';
import { signIn } from '@/lib/auth/session';
import { LoginThrottle } from '@/lib/auth/throttle';
import { config } from '@/lib/config/env';
import { assertSameOrigin } from '@/lib/http/same-origin';
import { DomainError } from '@/lib/errors';
import { statusFor } from '@/lib/http/errors';

export const dynamic = 'force-dynamic';

const throttle = new LoginThrottle();
const FAILURE_DELAY_MS = 400;

function clientOf(request: Request): string {
  return request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() || request.headers.get('x-real-ip') || 'direct';
}

async function readCredentials(request: Request): Promise<{ form: boolean; token?: string; username?: string; password?: string }> {
  if ((request.headers.get('content-type') ?? '').includes('application/json')) {
    const body = (await request.json().catch(() => ({}))) as Record<string, unknown>;
    const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
    return { form: false, token: text('token'), username: text('username'), password: text('password') };
  }
  const form = await request.formData();
  const text = (key: string) => (typeof form.get(key) === 'string' ? (form.get(key) as string) : undefined);
  return { form: true, token: text('token'), username: text('username'), password: text('password') };
}

/** Sign in with ADMIN_TOKEN (or username and password). Works as a plain HTML form post and as JSON. */
export async function POST(request: Request) {
  const credentials = await readCredentials(request);
  const fail = (status: number, error: string, code: string, headers: Record<string, string> = {}) =>
    credentials.form
      ? NextResponse.redirect(new URL(`/admin/login?error=${code}`, request.url), { status: 303, headers })
      : NextResponse.json({ error }, { status, headers });
  try {
    assertSameOrigin(request);
  } catch (error) {
    return fail(statusFor(error), (error as Error).message, 'origin');
  }

  const client = clientOf(request);
  const waitMs = throttle.retryAfterMs(client);
  if (waitMs > 0) {
    const seconds = String(Math.ceil(waitMs / 1000));
    return fail(429, `too many failed sign-ins: try again in ${seconds} s`, 'locked', { 'Retry-After': seconds });
  }
  if (!checkCredentials(config(), credentials)) {
    throttle.recordFailure(client);
    await new Promise((resolve) => setTimeout(resolve, FAILURE_DELAY_MS));
    return fail(401, 'wrong credentials', 'invalid');
  }
  try {
    await signIn();
  } catch (error) {
    if (error instanceof DomainError) return fail(statusFor(error), error.message, 'disabled');
    throw error;
  }
  throttle.recordSuccess(client);
  return credentials.form ? NextResponse.redirect(new URL('/admin', request.url), { status: 303 }) : NextResponse.json({ ok: true });
}
