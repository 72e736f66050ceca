import 'server-only';
import { getIronSession, type SessionOptions } from 'iron-session';
import { cookies, headers } from 'next/headers';
import { config } from '../config/env';
import { forbidden, unauthorized } from '../errors';
import { sessionKey } from './credentials';

export interface AdminSession {
  admin?: boolean;
  since?: number;
}

export const SESSION_COOKIE = 'ff_admin';
const TTL_SECONDS = 12 * 3600;

function sessionOptions(secure: boolean): SessionOptions | null {
  const password = sessionKey(config());
  if (!password) return null;
  // HTTP-only, SameSite=strict: the cookie is never readable by scripts nor sent from other sites.
  return { password, cookieName: SESSION_COOKIE, ttl: TTL_SECONDS, cookieOptions: { httpOnly: true, sameSite: 'strict', secure, path: '/' } };
}

/** Secure cookies when the request came over HTTPS (directly or through a proxy that says so). */
async function requestIsHttps(): Promise<boolean> {
  const h = await headers();
  return h.get('x-forwarded-proto') === 'https' || (h.get('referer') ?? '').startsWith('https://');
}

async function openSession() {
  const options = sessionOptions(await requestIsHttps());
  if (!options) return null;
  return getIronSession<AdminSession>(await cookies(), options);
}

export async function isAdmin(): Promise<boolean> {
  const session = await openSession();
  return Boolean(session?.admin);
}

/** For admin API routes: a 401 unless the request carries a valid admin session. */
export async function requireAdmin(): Promise<void> {
  if (!(await isAdmin())) throw unauthorized('admin session required: sign in at /admin/login');
}

export async function signIn(): Promise<void> {
  const session = await openSession();
  if (!session) throw forbidden('the admin area is disabled: set ADMIN_TOKEN (or ADMIN_USERNAME and ADMIN_PASSWORD)');
  session.admin = true;
  session.since = Date.now();
  await session.save();
}

export async function signOut(): Promise<void> {
  const session = await openSession();
  session?.destroy();
}
