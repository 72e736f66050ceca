/**
 * When a supervised process that died is started again: after 1 s, 2 s, 4 s … up to 30 s, and not
 * at all once it died `maxRestarts` times within `windowMs` — a process that keeps dying is a fault
 * for an operator (or the outer supervisor), not something to hide by looping.
 */
export interface RestartPolicy {
  maxRestarts: number;
  windowMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 5, windowMs: 10 * 60_000, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export const policyWithLimit = (maxRestarts: number): RestartPolicy => ({ ...DEFAULT_RESTART_POLICY, maxRestarts });

/** The delay before the next start, or null to give up; `deaths` are the times it died, oldest first, this one included. */
export function restartDelay(deaths: readonly number[], now: number, policy: RestartPolicy = DEFAULT_RESTART_POLICY): number | null {
  const recent = deaths.filter((t) => now - t <= policy.windowMs).length;
  if (recent > policy.maxRestarts) return null;
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, recent - 1));
}
