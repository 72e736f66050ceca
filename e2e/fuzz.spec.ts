import { expect, test, type APIRequestContext } from '@playwright/test';
import { withDatabase } from './db';

/**
 * Hostile input to every API route and page: malformed encodings, NUL bytes, prototype keys, dates
 * at the edges of the calendar, wrong content types, duplicated parameters, forged cookies and
 * origins. Every answer must be a 4xx (or a 2xx where the input happens to be acceptable), never a
 * 5xx, and nothing may be written.
 */
const TOKEN = 'e2e-admin-token-0123';

const HOSTILE_VALUES = [
  '', '%00', 'BTC%00USDT', '%FF', '%C3%28', '%E0%80%AF', '%', '%%', '%2', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf',
  '0000-01-01T00:00:00Z', '0001-01-01', '0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '275760-09-13T00:00:00Z', '-1', '0', '1e309', 'NaN', 'Infinity',
  '2024-02-30', '2024-13-01T00:00:00Z', encodeURIComponent("' or 1=1 --"), encodeURIComponent('<script>alert(1)</script>'), encodeURIComponent('../../etc/passwd'),
  'a'.repeat(5000), '%5B%5D', '%7B%7D', encodeURIComponent('BTC/USDT\u202e'), '%F0%9F%92%A9', '%EF%BF%BF',
];

const ROUTES: Record<string, { params: string[]; base: string }> = {
  '/api/health': { params: ['x'], base: '' },
  '/api/overview': { params: ['x'], base: '' },
  '/api/series': { params: ['x'], base: '' },
  '/api/tables': { params: ['x'], base: '' },
  '/api/indicators': { params: ['symbol', 'timeframe', 'range', 'end', 'points'], base: 'symbol=BTC/USDT&timeframe=1h' },
  '/api/labels': { params: ['symbol', 'labelType', 'horizon', 'range', 'end'], base: 'symbol=BTC/USDT' },
  '/api/sentiment': { params: ['symbol', 'range', 'end'], base: 'symbol=BTC/USDT' },
  '/api/quality': { params: ['days'], base: '' },
  '/api/quality/quarantine': { params: ['page', 'pageSize', 'source', 'symbol', 'rule'], base: '' },
  '/api/export': { params: ['symbol', 'timeframe', 'from', 'to', 'label', 'horizon', 'format', 'includeSimulated', 'metadata'], base: 'symbol=BTC/USDT&timeframe=1h&from=2024-01-01&to=2024-01-02&label=direction' },
  '/api/admin/runs': { params: ['limit', 'before'], base: '' },
};
const PAGES = ['/', '/indicators', '/labels', '/sentiment', '/quality', '/admin', '/admin/login'];
const PAGE_PARAMS = ['symbol', 'timeframe', 'range', 'end', 'error', 'labelType', 'horizon', 'days', 'page'];

/**
 * Every table's row count (ours and the queue's): "nothing written" means none of them moved.
 * pgboss.instance is left out: it is the queue's register of live processes (the web app's queue
 * handle signs in there the first time an admin route needs it), not data a request wrote.
 */
async function rowCounts(): Promise<Record<string, number>> {
  return withDatabase(async (db) => {
    const { rows } = await db.query<{ name: string }>(
      `select format('%I.%I', table_schema, table_name) as name from information_schema.tables
       where table_schema in ('public', 'pgboss') and table_type = 'BASE TABLE' and table_name not in ('schema_migrations', 'version')
         and not (table_schema = 'pgboss' and table_name = 'instance')`,
    );
    const counts: Record<string, number> = {};
    for (const { name } of rows) counts[name] = (await db.query(`select count(*)::int as n from ${name}`)).rows[0].n;
    return counts;
  });
}

interface Outcome {
  what: string;
  status: number;
}

async function signedIn(request: APIRequestContext, baseURL: string): Promise<string> {
  const response = await request.post('/api/admin/login', { data: { token: TOKEN }, headers: { origin: baseURL } });
  expect(response.status()).toBe(200);
  const cookie = response.headers()['set-cookie']!.split(';')[0]!;
  expect(cookie).toMatch(/^ff_admin=[A-Za-z0-9_-]{43}$/);
  return cookie;
}

test('no route or page answers hostile input with a 5xx, and nothing is written', async ({ request, baseURL }) => {
  test.setTimeout(600_000);
  const cookie = await signedIn(request, baseURL!);
  const before = await rowCounts();
  const outcomes: Outcome[] = [];
  const send = async (what: string, make: () => Promise<{ status(): number }>) => outcomes.push({ what, status: (await make()).status() });
  const admin = { cookie, origin: baseURL! };

  for (const [route, { params, base }] of Object.entries(ROUTES)) {
    const headers: Record<string, string> = route.startsWith('/api/admin') ? { cookie } : {};
    for (const param of params) {
      for (const value of HOSTILE_VALUES) {
        const url = `${route}?${[base.split('&').filter((p) => p && !p.startsWith(`${param}=`)).join('&'), `${param}=${value}`].filter(Boolean).join('&')}`;
        await send(`GET ${url.slice(0, 120)}`, () => request.get(url, { headers, maxRedirects: 0 }));
      }
      await send(`GET ${route} ${param} twice`, () => request.get(`${route}?${base}&${param}=a&${param}=b`, { headers }));
    }
    for (const raw of ['__proto__=1', '__proto__[admin]=1', 'constructor[prototype][admin]=1', '%00=1', '%FF=%FF', 'a=1&a=2&a=3']) {
      await send(`GET ${route}?${raw}`, () => request.get(`${route}?${base ? `${base}&` : ''}${raw}`, { headers }));
    }
  }
  for (const page of PAGES) {
    for (const param of PAGE_PARAMS) {
      for (const value of HOSTILE_VALUES) await send(`PAGE ${page}?${param}=${value.slice(0, 40)}`, () => request.get(`${page}?${param}=${value}`, { headers: { cookie }, maxRedirects: 0 }));
    }
  }

  // Sign-in: every content type and body shape, blank and NUL credentials, forged origins.
  const login = (body: string | Buffer | undefined, contentType: string | undefined, origin: string | undefined = baseURL) =>
    request.post('/api/admin/login', { data: body, headers: { ...(contentType ? { 'content-type': contentType } : {}), ...(origin ? { origin } : {}) }, maxRedirects: 0 });
  const bodies: [string | Buffer | undefined, string | undefined][] = [
    [undefined, undefined], ['', 'application/json'], ['{', 'application/json'], ['null', 'application/json'], ['[]', 'application/json'], ['"token"', 'application/json'],
    ['{"token":123}', 'application/json'], ['{"token":""}', 'application/json'], ['{"token":"                "}', 'application/json'], ['{"token":"a\\u0000b"}', 'application/json'],
    ['{"__proto__":{"admin":true}}', 'application/json'], ['{"constructor":{"prototype":{"admin":true}}}', 'application/json'], [`{"token":"${'x'.repeat(100_000)}"}`, 'application/json'],
    ['token=', 'application/x-www-form-urlencoded'], ['token=%20%20%20', 'application/x-www-form-urlencoded'], ['token=a&token=b', 'application/x-www-form-urlencoded'],
    ['token=%FF%00', 'application/x-www-form-urlencoded'], ['--x\r\nbroken', 'multipart/form-data; boundary=x'], ['--x', 'multipart/form-data'], ['token=abc', 'text/plain'],
    [Buffer.from([0xff, 0xfe, 0x00, 0x01]), 'application/octet-stream'], ['<token>x</token>', 'application/xml'], ['{"token":"x"}', 'application/json; charset=utf-16'],
  ];
  for (const [body, type] of bodies) await send(`POST login ${type} ${String(body).slice(0, 40)}`, () => login(body, type));
  for (const origin of ['null', 'http://evil.example', 'garbage', 'http://127.0.0.1', 'https://127.0.0.1:1', 'file://', '%FF']) {
    await send(`POST login origin ${origin}`, () => login(JSON.stringify({ token: TOKEN }), 'application/json', origin));
    await send(`POST logout origin ${origin}`, () => request.post('/api/admin/logout', { headers: { cookie, origin }, maxRedirects: 0 }));
    await send(`POST runs origin ${origin}`, () => request.post('/api/admin/runs', { data: { kind: 'labels', symbols: ['BTC/USDT'] }, headers: { cookie, origin } }));
  }

  // Runs: hostile bodies from a signed-in admin, so validation (not the session check) is what answers.
  const runBodies: unknown[] = [
    null, [], 'candles', 42, {}, { kind: '__proto__' }, { kind: 'toString' }, { kind: 'constructor', symbols: ['BTC/USDT'] },
    { kind: 'candles', symbols: ['BTC/USDT', 'BTC/USDT'], timeframes: ['1h'] }, { kind: 'candles', symbols: ['BTC/USDT'], timeframes: ['1h', '1h'] },
    { kind: 'candles', symbols: ['BTC\u0000USDT'], timeframes: ['1h'] }, { kind: 'candles', symbols: 'BTC/USDT', timeframes: '1h' },
    { kind: 'candles', symbols: Array.from({ length: 5000 }, () => 'BTC/USDT'), timeframes: ['1h'] }, { kind: 'candles', symbols: [{}], timeframes: [[]] },
    { kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: '0000-01-01', to: '2024-01-01' },
    { kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: '0001-01-01T00:00:00Z', to: '9999-12-31T23:59:59Z' },
    { kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: '275760-09-13', to: '275760-09-14' },
    { kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: 'yesterday', to: 'today' }, { kind: 'backfill', symbols: ['BTC/USDT'], timeframes: ['1h'], from: 1e309 },
    { kind: 'sentiment', symbols: [] }, { kind: 'candles', symbols: ['NOPE/USDT'], timeframes: ['1h'] },
  ];
  const rawRunBodies = ['{"__proto__":{"kind":"labels","symbols":["BTC/USDT"]}}', '{"kind":"labels","symbols":["BTC/USDT"],"kind":"__proto__"}', '{"kind":"candles","symbols":["BTC/USDT"],"timeframes":["1h"]', '\u0000'];
  for (const body of [...runBodies.map((b) => JSON.stringify(b)), ...rawRunBodies]) {
    await send(`POST runs ${body?.slice(0, 80)}`, () => request.post('/api/admin/runs', { data: body, headers: { ...admin, 'content-type': 'application/json' } }));
  }
  for (const [body, type] of bodies.slice(0, 12)) await send(`POST runs raw ${type}`, () => request.post('/api/admin/runs', { data: body, headers: { ...admin, ...(type ? { 'content-type': type } : {}) } }));
  for (const id of ['%FF', '%00', '%E0%80%AF', 'not-a-uuid', '..%2F..%2F', 'a'.repeat(2000), '00000000-0000-4000-8000-000000000000', '__proto__', 'constructor']) {
    await send(`POST cancel ${id.slice(0, 40)}`, () => request.post(`/api/admin/runs/${id}/cancel`, { headers: admin }));
  }
  // Cookies: malformed, forged, oversized, repeated — all "signed out", never an error.
  for (const value of ['', 'x', '%FF', 'Fe26.2**forged', 'a'.repeat(43), 'a'.repeat(4000), '"quoted"', 'a=b=c', '%00']) {
    await send(`GET runs cookie ${value.slice(0, 20)}`, () => request.get('/api/admin/runs', { headers: { cookie: `ff_admin=${value}` } }));
    await send(`PAGE admin cookie ${value.slice(0, 20)}`, () => request.get('/admin', { headers: { cookie: `ff_admin=${value}` }, maxRedirects: 0 }));
  }

  const failures = outcomes.filter((o) => o.status >= 500);
  console.log(`fuzz: ${outcomes.length} requests, ${failures.length} × 5xx`);
  expect(failures, failures.map((f) => `${f.status} ${f.what}`).join('\n')).toEqual([]);
  expect(outcomes.length).toBeGreaterThan(2000);
  expect(await rowCounts()).toEqual(before);
});
