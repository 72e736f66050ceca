import { expect, test, type Page } from '@playwright/test';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { withDatabase } from './db';

const TOKEN = 'e2e-admin-token-0123';
/** A request from the signed-in page itself, as the admin UI makes it (the cookie is SameSite=Strict). */
async function fetchFromPage(page: Page, url: string, init: { method?: string; body?: unknown; contentType?: string } = {}) {
  return page.evaluate(
    async ({ url, init }) => {
      const response = await fetch(url, {
        method: init.method ?? 'GET',
        headers: init.body === undefined ? {} : { 'content-type': init.contentType ?? 'application/json' },
        body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
      });
      return { status: response.status, body: (await response.json()) as { error?: string } };
    },
    { url, init },
  );
}

const countRuns = () => withDatabase(async (db) => (await db.query('select count(*)::int as n from collection_runs')).rows[0].n as number);

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* files(full);
    else yield full;
  }
}

test.describe('admin without a session', () => {
  test('pages redirect to the sign-in form and APIs answer 401, queuing nothing', async ({ page, request }) => {
    await page.goto('/admin');
    await expect(page).toHaveURL(/\/admin\/login$/);
    await expect(page.getByRole('heading', { name: 'Admin sign-in' })).toBeVisible();

    const before = await countRuns();
    expect((await request.get('/api/admin/runs')).status()).toBe(401);
    const post = await request.post('/api/admin/runs', { data: { kind: 'candles', symbols: ['BTC/USDT'], timeframes: ['1h'] } });
    expect(post.status()).toBe(401);
    expect((await post.json()).error).toMatch(/admin session required/);
    expect((await request.post('/api/admin/runs/00000000-0000-4000-8000-000000000000/cancel')).status()).toBe(401);
    expect(await countRuns()).toBe(before);
  });

  test('a forged cookie is refused', async ({ request }) => {
    const response = await request.get('/api/admin/runs', { headers: { cookie: 'ff_admin=Fe26.2**forged' } });
    expect(response.status()).toBe(401);
  });

  test('the admin token never reaches the browser bundle', async () => {
    const scanned = [...files(path.join('.next', 'static'))].filter((f) => f.endsWith('.js'));
    expect(scanned.length).toBeGreaterThan(0);
    for (const file of scanned) expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
  });

  test('repeated failed sign-ins are slowed down, keyed on the real peer: a forged X-Forwarded-For buys nothing', async ({ request, baseURL }) => {
    const attempt = (forwardedFor: string, token: string) =>
      request.post('/api/admin/login', { data: { token }, headers: { 'x-forwarded-for': forwardedFor, origin: baseURL! } });
    // A new forged address each time: still one client (the socket's peer), so the lockout comes after five.
    for (let i = 0; i < 5; i++) expect((await attempt(`203.0.113.${i}`, 'wrong-token-guess')).status()).toBe(401);
    const locked = await attempt('198.51.100.4', 'wrong-token-guess');
    expect(locked.status()).toBe(429);
    expect(Number(locked.headers()['retry-after'])).toBeGreaterThanOrEqual(1);
    // Even the right token waits out the lockout; once it has passed, it signs in and clears it.
    expect((await attempt('198.51.100.5', TOKEN)).status()).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, Number(locked.headers()['retry-after']) * 1000 + 100));
    expect((await attempt('198.51.100.6', TOKEN)).status()).toBe(200);
  });

  test('blank credentials, a null origin and a malformed cookie are refused without a 5xx', async ({ request, baseURL }) => {
    const blank = await request.post('/api/admin/login', { data: { token: '                ' }, headers: { origin: baseURL! } });
    expect(blank.status()).toBe(400);
    expect((await blank.json()).error).toBe('token: must not be blank');
    const nullOrigin = await request.post('/api/admin/login', { data: { token: TOKEN }, headers: { origin: 'null' } });
    expect(nullOrigin.status()).toBe(403);
    // A cookie that is not a session id is "signed out": 401, and signing in still works with it present.
    expect((await request.get('/api/admin/runs', { headers: { cookie: 'ff_admin=%FF%00garbage' } })).status()).toBe(401);
    const withJunk = await request.post('/api/admin/login', { data: { token: TOKEN }, headers: { origin: baseURL!, cookie: 'ff_admin=garbage' } });
    expect(withJunk.status()).toBe(200);
  });

  test('every response carries the security headers; pages get a nonce CSP their scripts satisfy', async ({ page, request }) => {
    for (const url of ['/api/health', '/', '/admin/login']) {
      const headers = (await request.get(url)).headers();
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['referrer-policy']).toBe('same-origin');
      expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    }
    const pageCsp = (await request.get('/')).headers()['content-security-policy']!;
    expect(pageCsp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(pageCsp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto('/');
    await expect(page.getByRole('navigation')).toBeVisible();
    await page.goto('/admin/login');
    await expect(page.getByRole('heading', { name: 'Admin sign-in' })).toBeVisible();
    expect(violations).toEqual([]);
  });

  test('the sign-in link fills the form from the fragment, never sends the token in a URL, and signs in', async ({ page }) => {
    await page.goto(`/admin/login#token=${TOKEN}`);
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.getByRole('heading', { name: 'Admin', exact: true })).toBeVisible();
  });
});

test.describe('admin with a session', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/admin/login');
    await page.getByLabel('Admin token').fill('not-the-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('form', { name: 'Admin sign-in' }).getByRole('alert')).toHaveText('Wrong credentials.');
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page).toHaveURL(/\/admin$/);
  });

  test('the session cookie is HTTP-only and SameSite=Strict', async ({ context }) => {
    const cookie = (await context.cookies()).find((c) => c.name === 'ff_admin');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });

  test('invalid trigger input gets a 400 naming the problem and queues nothing', async ({ page }) => {
    const before = await countRuns();
    const cases: [object, RegExp][] = [
      [{ kind: 'candles', symbols: ['NOPE/USDT'], timeframes: ['1h'] }, /^symbols\.0: unknown symbol "NOPE\/USDT"/],
      [{ kind: 'candles', symbols: ['BTC/USDT'], timeframes: ['2m'] }, /^timeframes\.0: unknown timeframe "2m"/],
      [{ kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: '2024-03-01', to: '2024-02-01' }, /^to: .*reversed/],
    ];
    for (const [body, message] of cases) {
      const response = await fetchFromPage(page, '/api/admin/runs', { method: 'POST', body });
      expect(response.status).toBe(400);
      expect(response.body.error).toMatch(message);
    }
    const notJson = await fetchFromPage(page, '/api/admin/runs', { method: 'POST', body: 'kind=candles', contentType: 'text/plain' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/the body must be JSON/);
    expect(await countRuns()).toBe(before);
  });

  test('a triggered run appears, runs on the worker and finishes with its per-source outcome', async ({ page }, testInfo) => {
    // History to continue from: the exchange is unreachable here, so the run falls back to flagged simulated candles.
    await withDatabase((db) =>
      db.query(`insert into ml_features_ohlcv (timestamp, symbol, timeframe, open_price, high_price, low_price, close_price, volume, source, is_simulated, feature_version)
        select ts, 'BNB/USDT', '4h', 300, 303, 297, 301, 1000, 'binance', false, 'e2e'
        from generate_series(date_trunc('day', now()) - interval '10 days', date_trunc('day', now()) - interval '1 day', interval '4 hours') ts
        on conflict do nothing`),
    );
    const form = page.getByRole('form', { name: 'New collection' });
    await form.getByLabel('Kind').selectOption('candles');
    await form.getByRole('checkbox', { name: 'BTC/USDT' }).uncheck();
    await form.getByRole('checkbox', { name: 'BNB/USDT' }).check();
    await form.getByRole('checkbox', { name: '1h' }).uncheck();
    await form.getByRole('checkbox', { name: '4h' }).check();
    await form.getByRole('button', { name: 'Start' }).click();
    await expect(page.getByRole('status')).toHaveText('Queued 1 run.');

    const row = page.getByTestId('runs').locator('tbody tr').filter({ hasText: 'BNB/USDT 4h' }).first();
    await expect(row).toBeVisible();
    await expect(row).toHaveAttribute('data-status', 'succeeded', { timeout: 45_000 });
    await expect(row).toContainText(/binance: 0 real · 1 fallback · 0 failed · \d+ simulated rows/);
    const stored = await withDatabase(async (db) =>
      (await db.query("select count(*) filter (where is_simulated)::int as simulated from ml_features_ohlcv where symbol = 'BNB/USDT' and timeframe = '4h'")).rows[0],
    );
    expect(stored.simulated).toBeGreaterThan(0);
    await page.screenshot({ path: testInfo.outputPath('admin.png'), fullPage: true });
  });

  test('a collection run that received candles with gaps shows them in the runs table; one without gaps shows none', async ({ page }) => {
    const gappy = '3b7e8c1a-5f2d-4e9b-8a61-0c4d2f7a9e13';
    const whole = '8d2a4f6c-1e3b-4c5d-9f70-2b8e6a4c1d35';
    // What the worker stores on a finished collection (tests/worker/run-gaps.test.ts checks that part).
    const gaps = {
      count: 2,
      missing: 7,
      first: { from: Date.UTC(2026, 10, 2, 4), to: Date.UTC(2026, 10, 2, 5), missing: 2 },
      largest: { from: Date.UTC(2026, 10, 6, 8), to: Date.UTC(2026, 10, 6, 12), missing: 5 },
    };
    await withDatabase(async (db) => {
      const insert = `insert into collection_runs (id, kind, symbol, timeframe, requested_by, status, rows_written, gaps, started_at, finished_at)
        values ($1, 'candles', $2, '1h', 'schedule', 'succeeded', $3, $4::jsonb, now(), now()) on conflict do nothing`;
      await db.query(insert, [gappy, 'ADA/USDT', 293, JSON.stringify(gaps)]);
      await db.query(insert, [whole, 'ETH/USDT', 300, JSON.stringify({ count: 0, missing: 0, first: null, largest: null })]);
    });
    const runs = page.getByTestId('runs');
    await expect(runs.locator(`tr[data-run-id="${gappy}"]`).getByTestId('run-gaps')).toHaveText(
      '2 gaps, 7 candles missing; first 2026-11-02T04:00:00.000Z (2 missing), largest 2026-11-06T08:00:00.000Z (5 missing)',
    );
    await expect(runs.locator(`tr[data-run-id="${whole}"]`)).toContainText('ETH/USDT 1h');
    await expect(runs.locator(`tr[data-run-id="${whole}"]`).getByTestId('run-gaps')).toHaveCount(0);
  });

  test('a finished run cannot be cancelled, and signing out ends the session', async ({ page }) => {
    const finished = '6f1c2f0e-7d0b-4d52-9a57-3a1d2b9e0c11';
    await withDatabase((db) =>
      db.query("insert into collection_runs (id, kind, requested_by, status, finished_at) values ($1, 'labels', 'admin', 'succeeded', now()) on conflict do nothing", [finished]),
    );
    const refused = await fetchFromPage(page, `/api/admin/runs/${finished}/cancel`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/only queued runs can be cancelled/);
    expect((await fetchFromPage(page, '/api/admin/runs/not-a-uuid/cancel', { method: 'POST' })).status).toBe(400);
    expect((await fetchFromPage(page, '/api/admin/runs')).status).toBe(200);
    // The cookie as an attacker would have copied it: after sign-out it must not work anywhere.
    const stolen = (await page.context().cookies()).find((c) => c.name === 'ff_admin')!.value;
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await expect(page).toHaveURL(/\/admin\/login$/);
    expect((await fetchFromPage(page, '/api/admin/runs')).status).toBe(401);
    const replay = await page.request.get('/api/admin/runs', { headers: { cookie: `ff_admin=${stolen}` } });
    expect(replay.status()).toBe(401);
    const before = await countRuns();
    const replayPost = await page.request.post('/api/admin/runs', { data: { kind: 'labels', symbols: ['BTC/USDT'] }, headers: { cookie: `ff_admin=${stolen}` } });
    expect(replayPost.status()).toBe(401);
    expect(await countRuns()).toBe(before);
  });

  test('"sign out everywhere" ends the sessions of other browsers too', async ({ page, browser, baseURL }) => {
    const other = await browser.newContext({ baseURL });
    try {
      const login = await other.request.post('/api/admin/login', { data: { token: TOKEN }, headers: { origin: baseURL! } });
      expect(login.status()).toBe(200);
      expect((await other.request.get('/api/admin/runs')).status()).toBe(200);
      const logoutForeign = await other.request.post('/api/admin/logout', { headers: { origin: 'http://evil.example' } });
      expect(logoutForeign.status()).toBe(403); // the origin check covers sign-out too
      await page.getByRole('button', { name: 'Sign out everywhere' }).click();
      await expect(page).toHaveURL(/\/admin\/login$/);
      expect((await other.request.get('/api/admin/runs')).status()).toBe(401);
    } finally {
      await other.close();
    }
  });
});
