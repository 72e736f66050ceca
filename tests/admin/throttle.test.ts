import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../lib/auth/throttle';

describe('failed sign-ins are slowed down', () => {
  it('lets five attempts through, then locks out for exponentially longer, per client', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < 4; i++) {
      throttle.recordFailure('a');
      expect(throttle.retryAfterMs('a')).toBe(0);
    }
    throttle.recordFailure('a'); // fifth
    expect(throttle.retryAfterMs('a')).toBe(1000);
    expect(throttle.retryAfterMs('b')).toBe(0);
    now += 1000;
    throttle.recordFailure('a');
    expect(throttle.retryAfterMs('a')).toBe(2000);
    now += 2000;
    throttle.recordFailure('a');
    expect(throttle.retryAfterMs('a')).toBe(4000);
  });

  it('caps the lockout at 15 minutes and forgets after an hour of quiet', () => {
    let now = 0;
    const throttle = new LoginThrottle(() => now);
    for (let i = 0; i < 40; i++) throttle.recordFailure('a');
    expect(throttle.retryAfterMs('a')).toBe(15 * 60_000);
    now += 61 * 60_000;
    expect(throttle.retryAfterMs('a')).toBe(0);
  });

  it('clears on success', () => {
    const throttle = new LoginThrottle(() => 0);
    for (let i = 0; i < 6; i++) throttle.recordFailure('a');
    throttle.recordSuccess('a');
    expect(throttle.retryAfterMs('a')).toBe(0);
  });
});
