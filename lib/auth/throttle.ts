/**
 * Slows down guessing: after FREE_ATTEMPTS failed logins from one client, each further attempt must
 * wait an exponentially growing lockout (1 s, 2 s, 4 s … up to 15 minutes). A success clears it.
 * In memory, per web process: enough for a single-node dashboard.
 */
const FREE_ATTEMPTS = 5;
const MAX_LOCK_MS = 15 * 60_000;
const FORGET_AFTER_MS = 60 * 60_000;

interface Entry {
  failures: number;
  lockedUntil: number;
  lastFailure: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds this client must still wait; 0 when it may try. */
  retryAfterMs(client: string): number {
    const entry = this.entries.get(client);
    if (!entry) return 0;
    if (this.now() - entry.lastFailure > FORGET_AFTER_MS) {
      this.entries.delete(client);
      return 0;
    }
    return Math.max(0, entry.lockedUntil - this.now());
  }

  recordFailure(client: string): void {
    const now = this.now();
    const entry = this.entries.get(client) ?? { failures: 0, lockedUntil: 0, lastFailure: now };
    entry.failures += 1;
    entry.lastFailure = now;
    if (entry.failures >= FREE_ATTEMPTS) {
      entry.lockedUntil = now + Math.min(MAX_LOCK_MS, 1000 * 2 ** (entry.failures - FREE_ATTEMPTS));
    }
    this.entries.set(client, entry);
    if (this.entries.size > 10_000) this.forgetOld(now);
  }

  recordSuccess(client: string): void {
    this.entries.delete(client);
  }

  private forgetOld(now: number): void {
    for (const [client, entry] of this.entries) {
      if (now - entry.lastFailure > FORGET_AFTER_MS) this.entries.delete(client);
    }
  }
}
