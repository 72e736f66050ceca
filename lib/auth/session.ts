import 'server-only';
import { cookies } from 'next/headers';
import { config } from '../config/env';
import { getPool } from '../db/pool';
import { forbidden, unauthorized } from '../errors';
import { peerOf } from '../http/peer';
import { sessionKey } from './credentials';
import { openSession, revokeAllSessions, revokeSession, sessionIsLive } from './session-store';

export const SESSION_COOKIE = 'ff_admin';
const TTL_SECONDS = 12 * 3600;

async function cookieValue(): Promise<string | undefined> {
  return (await cookies()).get(SESSION_COOKIE)?.value;
}

/** Signed in = the cookie names a live server-side session for the current credentials. A malformed cookie is simply signed out. */
export async function isAdmin(): Promise<boolean> {
  const tag = sessionKey(config());
  if (!tag) return false;
  const id = await cookieValue();
  if (!id) return false;
  return sessionIsLive(getPool(), id, tag);
}

/** For admin API routes: a 401 unless the request carries a valid admin session. */
export async function requireAdmin(): Promise<void> {
  if (!(await isAdmin())) throw unauthorized('admin session required: sign in at /admin/login');
}

/** Opens a session and sets its cookie: HTTP-only, SameSite=strict, Secure whenever the request came over HTTPS. */
export async function signIn(request: Request): Promise<void> {
  const tag = sessionKey(config());
  if (!tag) throw forbidden('the admin area is disabled: set ADMIN_TOKEN (or ADMIN_USERNAME and ADMIN_PASSWORD)');
  const id = await openSession(getPool(), tag, TTL_SECONDS);
  (await cookies()).set(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'strict',
    secure: peerOf(request).proto === 'https',
    path: '/',
    maxAge: TTL_SECONDS,
  });
}

/** Ends this browser's session (or every session) on the server, and clears the cookie. */
export async function signOut({ everywhere = false }: { everywhere?: boolean } = {}): Promise<void> {
  const jar = await cookies();
  if (everywhere) await revokeAllSessions(getPool());
  else await revokeSession(getPool(), jar.get(SESSION_COOKIE)?.value);
  jar.delete(SESSION_COOKIE);
}
