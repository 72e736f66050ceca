import { describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { GlobalCeiling } from '../../lib/auth/throttle';
import { closedAncestor, listedExchangeIds } from '../../lib/config/preflight';
import { resolvePeer } from '../../lib/http/peer';
import { outageReason } from '../../lib/db/outage';
import { restartDelay } from '../../lib/process/restart-policy';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

describe('restart policy', () => {
  it('backs off 1, 2, 4 … 30 s and gives up after the limit within ten minutes', () => {
    const deaths: number[] = [];
    const delays = [];
    for (let i = 0; i < 6; i++) {
      deaths.push(i * 1000);
      delays.push(restartDelay(deaths, i * 1000));
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, null]);
    // Deaths older than the window are forgiven.
    expect(restartDelay([0, 1, 2, 3, 4, 11 * 60_000], 11 * 60_000)).toBe(1000);
    expect(restartDelay([0], 0, { maxRestarts: 0, windowMs: 60_000, baseDelayMs: 1000, maxDelayMs: 30_000 })).toBeNull();
  });
});

describe('the client behind a request', () => {
  it('is the socket peer; forwarded headers are ignored unless the peer is a trusted proxy', () => {
    const forged = { host: 'ff.example', 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' };
    expect(resolvePeer({ remoteAddress: '::ffff:203.0.113.9' }, forged)).toEqual({ client: '203.0.113.9', proto: 'http', host: 'ff.example' });
    expect(resolvePeer({ remoteAddress: '10.0.0.2' }, { host: 'ff.example', 'x-forwarded-for': 'spoof, 198.51.100.7', 'x-forwarded-proto': 'https' }, ['10.0.0.2']))
      .toEqual({ client: '198.51.100.7', proto: 'https', host: 'ff.example' });
    // Two trusted hops: the right-most untrusted address is the client; the left part is whatever the client wrote.
    expect(resolvePeer({ remoteAddress: '10.0.0.2' }, { 'x-forwarded-for': '6.6.6.6, 198.51.100.7, 10.0.0.3' }, ['10.0.0.2', '10.0.0.3']).client).toBe('198.51.100.7');
    expect(resolvePeer({ remoteAddress: '127.0.0.1', encrypted: true }, {}).proto).toBe('https');
  });
});

describe('outages are told apart from bugs', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }, /unreachable/],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, /shutting down/],
    [{ code: '57014', message: 'canceling statement due to statement timeout' }, /took too long/],
    [{ code: '53300' }, /out of resources/],
    [new Error('timeout exceeded when trying to connect'), /in time/],
    [new Error('Query read timeout'), /did not answer/],
    [new Error('Connection terminated unexpectedly'), /lost/],
    [new Error('wrapped', { cause: { code: 'ECONNRESET' } }), /unreachable/],
    [new AggregateError([{ code: 'ECONNREFUSED' }]), /unreachable/],
  ])('%o is an outage', (error, reason) => {
    expect(outageReason(error)).toMatch(reason);
  });

  it.each([[new TypeError("Cannot read properties of undefined (reading 'x')")], [{ code: '22P02', message: 'invalid input syntax' }], [{ code: '23505' }], [null], ['text']])(
    '%o is not',
    (error) => expect(outageReason(error)).toBeNull(),
  );
});

describe('the global sign-in ceiling', () => {
  it('refuses everyone once the failures of a minute reach the limit, and recovers when they age out', () => {
    let now = 0;
    const ceiling = new GlobalCeiling(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(ceiling.retryAfterMs()).toBe(0);
      ceiling.recordFailure();
      now += 1000;
    }
    expect(ceiling.retryAfterMs()).toBe(57_000);
    now = 60_001;
    expect(ceiling.retryAfterMs()).toBe(0);
  });
});

describe('start-up checks', () => {
  it("lists ccxt's exchange ids without loading ccxt, exactly as ccxt does", () => {
    expect(listedExchangeIds()?.sort()).toEqual([...ccxt.exchanges].sort());
  });

  it('finds the first folder others cannot enter', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ff-closed-'));
    chmodSync(root, 0o755);
    try {
      mkdirSync(path.join(root, 'open', 'closed', 'inner'), { recursive: true });
      chmodSync(path.join(root, 'open'), 0o755);
      expect(closedAncestor(path.join(root, 'open', 'not-made-yet'))).toBeNull();
      chmodSync(path.join(root, 'open', 'closed'), 0o700);
      expect(closedAncestor(path.join(root, 'open', 'closed', 'inner', 'pg'))).toBe(path.join(root, 'open', 'closed'));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
