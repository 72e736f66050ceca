import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config/env';

/**
 * First start without setup, as Jupyter does it: with the embedded database and no admin
 * credentials configured, `npm start` makes a random admin token once, keeps it beside the data
 * (mode 600: only its owner reads it), serves on loopback only and prints a sign-in link. With a
 * server database nothing is generated: admin stays closed until credentials are configured.
 */
export interface GeneratedAdmin {
  token: string;
  file: string;
  created: boolean;
}

export function tokenFileFor(cfg: AppConfig): string {
  return path.join(path.dirname(path.resolve(cfg.EMBEDDED_PG_DIR)), 'admin-token');
}

export function wantsGeneratedToken(cfg: AppConfig): boolean {
  return !cfg.DATABASE_URL && !cfg.ADMIN_TOKEN && !cfg.ADMIN_USERNAME && !cfg.ADMIN_PASSWORD;
}

export function ensureGeneratedToken(cfg: AppConfig): GeneratedAdmin {
  const file = tokenFileFor(cfg);
  if (existsSync(file)) {
    chmodSync(file, 0o600); // a copy restored with looser permissions is tightened again
    const token = readFileSync(file, 'utf8').trim();
    if (token.length >= 32) return { token, file, created: false };
  }
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { token, file, created: true };
}

/** The link printed at start: the token travels in the fragment, which browsers never send to a server or a Referer. */
export function signInLink(port: number, token: string): string {
  return `http://127.0.0.1:${port}/admin/login#token=${token}`;
}
