import 'server-only';
import { createHash, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { AppConfig } from '../config/env';

/**
 * Admin credentials come only from the environment: ADMIN_TOKEN, or ADMIN_USERNAME with
 * ADMIN_PASSWORD. Without either, the admin area is closed to everyone.
 */
export type AdminMethod = 'token' | 'password' | 'disabled';

export function adminMethod(cfg: AppConfig): AdminMethod {
  if (cfg.ADMIN_TOKEN) return 'token';
  if (cfg.ADMIN_USERNAME && cfg.ADMIN_PASSWORD) return 'password';
  return 'disabled';
}

function expectedSecret(cfg: AppConfig): string | null {
  if (cfg.ADMIN_TOKEN) return cfg.ADMIN_TOKEN;
  if (cfg.ADMIN_USERNAME && cfg.ADMIN_PASSWORD) return `${cfg.ADMIN_USERNAME}\n${cfg.ADMIN_PASSWORD}`;
  return null;
}

/** Compares digests in constant time, so the comparison leaks neither content nor length. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function checkCredentials(cfg: AppConfig, input: { token?: string; username?: string; password?: string }): boolean {
  const expected = expectedSecret(cfg);
  if (!expected) return false;
  // The configured token and username are trimmed (lib/config/env.ts); what is typed is too.
  const given = cfg.ADMIN_TOKEN ? (input.token ?? '').trim() : `${(input.username ?? '').trim()}\n${input.password ?? ''}`;
  return sameSecret(given, expected);
}

/**
 * The tag stored with each server-side session, derived from the credentials: changing the token
 * or the password signs everyone out, and there is no second secret to manage.
 */
export function sessionKey(cfg: AppConfig): string | null {
  const secret = expectedSecret(cfg);
  if (!secret) return null;
  return Buffer.from(hkdfSync('sha256', secret, 'feature-foundation', 'admin-session-v1', 32)).toString('hex');
}
