import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { waitFor } from '../worker/processes';
import { H, marketCandles, store } from './seed';

/**
 * The chart route's cached bytes against a real database: compressed as asked, an ETag with 304,
 * and never an old month once new candles are stored, by any writer in any process.
 */
describe('GET /api/indicators: cached bytes, ETags, invalidation', () => {
  let db: MigratedDatabase;
  let close: () => Promise<void>;
  const START = Date.UTC(2022, 0, 1);
  const QUERY = `symbol=BTC/USDT&timeframe=1h&range=1w&end=${new Date(START + 100 * H).toISOString()}`;
  const route = () => import('../../app/api/indicators/route');
  const get = async (headers: Record<string, string> = {}, query = QUERY) => (await route()).GET(new Request(`http://test/api/indicators?${query}`, { headers }));
  const decode = async (response: Response) => {
    const bytes = Buffer.from(await response.arrayBuffer());
    const encoding = response.headers.get('content-encoding');
    const json = encoding === 'br' ? brotliDecompressSync(bytes) : encoding === 'gzip' ? gunzipSync(bytes) : bytes;
    return { bytes, body: JSON.parse(json.toString()) as { columns: { t: number[]; close: number[] } } };
  };

  beforeAll(async () => {
    db = await createMigratedDatabase();
    await store(db.pool, 'BTC/USDT', '1h', marketCandles(80, START, H, 2));
    vi.resetModules();
    vi.stubEnv('DATABASE_URL', db.url);
    vi.stubEnv('DATABASE_EMBEDDED', 'true');
    const { closePool } = await import('../../lib/db/pool');
    const { closeIndicatorResponses } = await import('../../lib/dashboard/indicator-cache');
    close = async () => {
      await closeIndicatorResponses();
      await closePool();
    };
  }, 60_000);
  afterAll(async () => {
    await close?.();
    vi.unstubAllEnvs();
    await db?.drop();
  });

  /** Entries are kept only once the change feed LISTENs: wait for its session. */
  const listening = () => waitFor('the change feed to listen', async () => {
    const { rows } = await db.pool.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and query like 'listen %' and state = 'idle'`);
    return rows[0].n === 1;
  }, 10_000, 20).then(() => new Promise((resolve) => setTimeout(resolve, 100)));

  it('answers br, gzip or identity as the client accepts, the same JSON each time, with its length and a weak ETag', async () => {
    const br = await get({ 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await get({ 'accept-encoding': 'gzip;q=1, br;q=0' });
    const plain = await get({ 'accept-encoding': 'identity' });
    expect([br, gzip, plain].map((r) => r.headers.get('content-encoding'))).toEqual(['br', 'gzip', null]);
    const bodies = await Promise.all([br, gzip, plain].map(decode));
    expect(bodies[0]!.body).toEqual(bodies[2]!.body);
    expect(bodies[1]!.body).toEqual(bodies[2]!.body);
    expect(bodies[2]!.body.columns.t).toHaveLength(80);
    for (const [i, response] of [br, gzip, plain].entries()) {
      expect(Number(response.headers.get('content-length'))).toBe(bodies[i]!.bytes.length);
      expect(response.headers.get('vary')).toBe('Accept-Encoding');
      expect(response.headers.get('content-type')).toBe('application/json');
      expect(response.headers.get('cache-control')).toBe('private, max-age=15');
      expect(response.headers.get('etag')).toBe(br.headers.get('etag'));
    }
    expect(br.headers.get('etag')).toMatch(/^W\/"[\w-]{27}"$/);
    // Compressed means smaller (a week of columns: ~2.5×; a month: ~2.4× more).
    expect(bodies[0]!.bytes.length * 2).toBeLessThan(bodies[2]!.bytes.length);
    expect(bodies[1]!.bytes.length * 2).toBeLessThan(bodies[2]!.bytes.length);
  });

  it('answers 304 without a body to a client that has the bytes, 200 to one that has others', async () => {
    const etag = (await get()).headers.get('etag')!;
    const again = await get({ 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    expect((await get({ 'if-none-match': `W/"other", ${etag.slice(2)}` })).status).toBe(304);
    expect((await get({ 'if-none-match': 'W/"other"' })).status).toBe(200);
    const head = await (await route()).GET(new Request(`http://test/api/indicators?${QUERY}`, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } }));
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect((await head.arrayBuffer()).byteLength).toBe(0);
  });

  it('keeps the bytes until candles are stored, then serves the new ones at once, whichever process wrote them', async () => {
    await listening();
    const kept = await get();
    const before = await decode(kept);
    expect(before.body.columns.t).toHaveLength(80);
    const last = new Date(START + 79 * H);
    // A write that tells nobody (triggers off for this session): the kept bytes are still answered,
    // so the route really answers from its cache.
    const silent = await db.pool.connect();
    try {
      await silent.query(`set session_replication_role = replica`);
      await silent.query(`update ml_features_ohlcv set close_price = close_price * 1.5, high_price = high_price * 1.5 where symbol = 'BTC/USDT' and timestamp = $1`, [last]);
    } finally {
      await silent.query('reset session_replication_role');
      silent.release();
    }
    const stale = await get();
    expect(stale.headers.get('etag')).toBe(kept.headers.get('etag'));
    expect((await decode(stale)).body.columns.close.at(-1)).toBe(before.body.columns.close.at(-1));

    // The product's write path on another connection, as the worker's: the next answers have them.
    await store(db.pool, 'BTC/USDT', '1h', marketCandles(101, START, H, 2).slice(80));
    const after = await waitFor('the stored candles in the answer', async () => {
      const response = await get({ 'if-none-match': kept.headers.get('etag')! });
      return response.status === 200 ? (await decode(response)).body : null;
    }, 2_000, 10);
    expect(after.columns.t).toHaveLength(101);
    expect(after.columns.t.at(-1)).toBe(START + 100 * H);
    expect(after.columns.close[79]).toBeCloseTo(before.body.columns.close.at(-1)! * 1.5, 2);

    // A correction by hand is a write like any other.
    await listening();
    const etag = (await get()).headers.get('etag')!;
    await db.pool.query(`update ml_features_ohlcv set volume = volume + 1 where symbol = 'BTC/USDT' and timestamp = $1`, [new Date(START + 100 * H)]);
    await waitFor('the corrected candle in the answer', async () => (await get({ 'if-none-match': etag })).status === 200, 2_000, 10);
  });
});
