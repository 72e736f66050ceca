import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DomainError, ERROR_KINDS, EXIT_CODES, exitCodeFor, errorKindOf } from '@/lib/errors';
import { ExportArgumentError } from '@/lib/export';
import { CandleCsvError } from '@/lib/market/csv';
import { TimeframeError } from '@/lib/market/timeframe';
import { RunNotCancellable } from '@/lib/jobs/runs';
import { adminRoute } from '@/lib/http/admin-route';
import { errorResponse, HTTP_STATUS } from '@/lib/http/errors';
import { jsonRoute } from '@/lib/http/handler';

describe('error kinds', () => {
  it('map to one HTTP status and one exit code each', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...ERROR_KINDS].sort());
    expect(Object.keys(EXIT_CODES).sort()).toEqual([...ERROR_KINDS].sort());
    expect(HTTP_STATUS).toMatchObject({ invalid: 400, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, unavailable: 503, internal: 500 });
  });

  it('come from the domain errors themselves, zod errors being bad input', () => {
    expect(errorKindOf(new TimeframeError('x'))).toBe('invalid');
    expect(errorKindOf(new CandleCsvError(3, 'x'))).toBe('unprocessable');
    expect(errorKindOf(new RunNotCancellable('x'))).toBe('conflict');
    expect(errorKindOf(z.string().safeParse(1).error)).toBe('invalid');
    expect(errorKindOf(new Error('boom'))).toBe('internal');
    expect(errorKindOf('a string')).toBe('internal');
  });

  it('give the command line 2 for bad arguments and 1 for the rest', () => {
    expect(exitCodeFor(new ExportArgumentError('--from: not a date'))).toBe(2);
    expect(exitCodeFor(new DomainError('not_found', 'nothing to export'))).toBe(1);
    expect(exitCodeFor(new CandleCsvError(5, 'open is not a number'))).toBe(1);
    expect(exitCodeFor(new Error('connection refused'))).toBe(1);
  });
});

describe('route wrappers', () => {
  it('answer each kind with its status, the message and details, and never cache errors', async () => {
    const response = errorResponse(new DomainError('rate_limited', 'slow down', { headers: { 'Retry-After': '7' }, details: { tries: 6 } }));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({ error: 'slow down', details: { tries: 6 } });
  });

  it('hide what an internal error says', async () => {
    const route = jsonRoute(async () => {
      throw new Error('password=hunter2 in a stack trace');
    });
    const original = console.error;
    console.error = () => {};
    const response = await route(new Request('http://test/x')).finally(() => (console.error = original));
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'internal error' });
  });

  it('name the bad field of a zod error in a 400', async () => {
    const route = jsonRoute(async () => z.object({ limit: z.number() }).parse({ limit: 'x' }));
    const response = await route(new Request('http://test/x'));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^limit: /);
  });

  it('refuse a cross-site admin request before any work or session lookup', async () => {
    let ran = false;
    const route = adminRoute(async () => {
      ran = true;
      return { ok: true };
    });
    const response = await route(new Request('http://site.test/api/admin/runs', { method: 'POST', headers: { origin: 'http://evil.test', host: 'site.test' } }));
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: string }).error).toMatch(/cross-site request from http:\/\/evil.test refused/);
    expect(ran).toBe(false);
  });
});
