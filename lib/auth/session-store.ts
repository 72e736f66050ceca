import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';

/**
 * Server-side admin sessions (table admin_sessions). The cookie holds 32 random bytes; the table
 * holds their SHA-256, the credentials' tag and the expiry.
 */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (id: string) => createHash('sha256').update(id).digest('hex');

export async function openSession(pool: Pool, credentialTag: string, ttlSeconds: number): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  await pool.query(
    `insert into admin_sessions (id_hash, credential_tag, expires_at) values ($1, $2, now() + make_interval(secs => $3))`,
    [hashOf(id), credentialTag, ttlSeconds],
  );
  // Expired and revoked sessions are of no use to anyone: trimmed as new ones open.
  await pool.query(`delete from admin_sessions where expires_at < now() - interval '1 day' or revoked_at < now() - interval '1 day'`);
  return id;
}

/** Whether `id` names a live session opened with these credentials; malformed ids never reach the database. */
export async function sessionIsLive(pool: Pool, id: string | undefined, credentialTag: string): Promise<boolean> {
  if (!id || !SESSION_ID_PATTERN.test(id)) return false;
  const { rows } = await pool.query(
    `select 1 from admin_sessions where id_hash = $1 and credential_tag = $2 and revoked_at is null and expires_at > now()`,
    [hashOf(id), credentialTag],
  );
  return rows.length === 1;
}

export async function revokeSession(pool: Pool, id: string | undefined): Promise<void> {
  if (!id || !SESSION_ID_PATTERN.test(id)) return;
  await pool.query('update admin_sessions set revoked_at = now() where id_hash = $1 and revoked_at is null', [hashOf(id)]);
}

/** "Sign out everywhere": every session, on every browser, ends now. */
export async function revokeAllSessions(pool: Pool): Promise<number> {
  const { rowCount } = await pool.query('update admin_sessions set revoked_at = now() where revoked_at is null');
  return rowCount ?? 0;
}
