import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { H, marketCandles, store } from './seed';

/** The real route handlers against a real database: bad parameters are 400s that name the parameter. */
describe('dashboard API routes', () => {
  let db: MigratedDatabase;
  let closePool: () => Promise<void>;
  const routes = {
    indicators: () => import('../../app/api/indicators/route'),
    sentiment: () => import('../../app/api/sentiment/route'),
    labels: () => import('../../app/api/labels/route'),
    quality: () => import('../../app/api/quality/route'),
    quarantine: () => import('../../app/api/quality/quarantine/route'),
    series: () => import('../../app/api/series/route'),
    overview: () => import('../../app/api/overview/route'),
  };
  const get = async (route: keyof typeof routes, query = '') => (await routes[route]()).GET(new Request(`http://test/api/${route}?${query}`));

  beforeAll(async () => {
    db = await createMigratedDatabase();
    await store(db.pool, 'BTC/USDT', '1h', marketCandles(48, Date.UTC(2022, 0, 1), H, 2));
    vi.resetModules();
    vi.stubEnv('DATABASE_URL', db.url);
    vi.stubEnv('DATABASE_EMBEDDED', 'true');
    const { closeIndicatorResponses } = await import('../../lib/dashboard/indicator-cache');
    const pool = await import('../../lib/db/pool');
    closePool = async () => {
      await closeIndicatorResponses();
      await pool.closePool();
    };
  }, 60_000);
  afterAll(async () => {
    await closePool();
    vi.unstubAllEnvs();
    await db.drop();
  });

  it.each([
    ['indicators', 'timeframe=1h', 'symbol'],
    ['indicators', 'symbol=btcusdt&timeframe=1h', 'symbol'],
    ['indicators', 'symbol=BTC/USDT&timeframe=7h', 'timeframe'],
    ['indicators', 'symbol=BTC/USDT&timeframe=1h&range=2y', 'range'],
    ['indicators', 'symbol=BTC/USDT&timeframe=1h&points=5000', 'points'],
    ['indicators', 'symbol=BTC/USDT&timeframe=1h&points=many', 'points'],
    ['indicators', 'symbol=BTC/USDT&timeframe=1h&end=yesterday', 'end'],
    ['sentiment', 'symbol=BTC/USDT&range=10y', 'range'],
    ['labels', 'symbol=BTC/USDT&horizon=soon', 'horizon'],
    ['labels', 'symbol=BTC/USDT&labelType=DROP TABLE', 'labelType'],
    ['quality', 'days=0', 'days'],
    ['quarantine', 'page=0', 'page'],
    ['quarantine', 'pageSize=1000', 'pageSize'],
  ] as const)('%s?%s is a 400 naming %s', async (route, query, parameter) => {
    const response = await get(route, query);
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as { error: string };
    expect(body.error.startsWith(`${parameter}:`), body.error).toBe(true);
  });

  it('answers the chart read with JSON and a short private cache', async () => {
    const response = await get('indicators', 'symbol=BTC/USDT&timeframe=1h&range=1d');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, max-age=15');
    const body = await response.json();
    expect(body).toMatchObject({ symbol: 'BTC/USDT', timeframe: '1h', range: '1d', bucket: { width: '1h', exact: true } });
    expect(body.columns.t).toHaveLength(24);
  });

  it('reads range keys in days, and still answers the month keys of old URLs', async () => {
    const monthly = await (await get('indicators', 'symbol=BTC/USDT&timeframe=1h&range=30d')).json();
    const legacy = await (await get('indicators', 'symbol=BTC/USDT&timeframe=1h&range=1m')).json();
    expect(monthly.range).toBe('30d');
    expect(legacy).toEqual(monthly);
    expect((await (await get('sentiment', 'symbol=BTC/USDT&range=6m')).json()).range).toBe('180d');
    const minute = await get('indicators', 'symbol=BTC/USDT&timeframe=1h&range=1h');
    expect(minute.status).toBe(400);
    expect(((await minute.json()) as { error: string }).error).toMatch(/^range: one of 1d 1w 30d 90d 180d 1y/);
  });

  it('answers every page route with 200 on a database with data', async () => {
    for (const route of ['series', 'overview', 'quality', 'quarantine'] as const) {
      expect((await get(route)).status, route).toBe(200);
    }
    expect((await get('sentiment', 'symbol=BTC/USDT')).status).toBe(200);
    expect((await get('labels', 'symbol=BTC/USDT')).status).toBe(200);
    const { series } = await (await get('series')).json();
    expect(series).toEqual([expect.objectContaining({ symbol: 'BTC/USDT', timeframe: '1h', candles: 48 })]);
  });
});
