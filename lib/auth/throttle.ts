/**
 * Slows down guessing: after FREE_ATTEMPTS failed logins from one client, each further attempt must
 * wait an exponentially growing lockout (1 s, 2 s, 4 s … up to 15 minutes). A success clears it.
 * Clients are real peer addresses (lib/http/peer.ts), so a forged X-Forwarded-For neither buys
 * fresh attempts nor locks anyone else out; a global ceiling caps guesses from many addresses.
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

/**
 * At most `limit` failed sign-ins per minute from everyone together: a botnet with an address per
 * guess still gets `limit` guesses a minute. The price is that the real admin may have to wait
 * out the rest of that minute during an attack.
 */
export class GlobalCeiling {
  private failures: number[] = [];

  constructor(
    private readonly limit = 30,
    private readonly windowMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  retryAfterMs(): number {
    const now = this.now();
    this.failures = this.failures.filter((t) => now - t < this.windowMs);
    if (this.failures.length < this.limit) return 0;
    return this.failures[0]! + this.windowMs - now;
  }

  recordFailure(): void {
    this.failures.push(this.now());
    if (this.failures.length > this.limit * 2) this.failures = this.failures.slice(-this.limit);
  }
}
