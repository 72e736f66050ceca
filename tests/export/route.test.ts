import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { poolSessions } from '@/lib/db/sql';
import { generateLabels } from '@/lib/labels/generate';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { candlesFromCloses, HOUR_MS, insertCandles, wanderingCloses } from '../labels/candle-rows';

const T0 = Date.UTC(2024, 3, 1);

/**
 * GET/HEAD /api/export through the real route: a length on every answer, byte ranges served from
 * one export (what polars.read_parquet(url) and duckdb's httpfs do), several series in one file.
 */
describe('/api/export over HTTP', () => {
  let db: MigratedDatabase;
  let GET: (request: Request) => Promise<Response>;
  let HEAD: (request: Request) => Promise<Response>;
  let closePool: () => Promise<void>;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    for (const [symbol, seed] of [['BTC/USDT', 1], ['ETH/USDT', 2]] as const) {
      await insertCandles(db.pool, symbol, '1h', candlesFromCloses(T0, HOUR_MS, wanderingCloses(72, 1000 * seed, seed)));
    }
    await generateLabels({ sessions: poolSessions(db.pool), now: () => T0 + 73 * HOUR_MS }, { symbols: ['BTC/USDT', 'ETH/USDT'], from: T0 });
    vi.stubEnv('DATABASE_URL', db.url);
    vi.resetModules();
    ({ GET, HEAD } = await import('../../app/api/export/route'));
    ({ closePool } = await import('../../lib/db/pool'));
  });
  afterAll(async () => {
    await closePool();
    vi.unstubAllEnvs();
    await db.drop();
  });
  const query = 'symbol=BTC/USDT,ETH/USDT&timeframe=1h&from=2024-04-01&to=2024-04-03&label=price_direction&label=market_regime:12h&format=parquet';
  const request = (q: string, init?: RequestInit) => new Request(`http://localhost/api/export?${q}`, init);

  it('sends Content-Length and the whole file; HEAD says the same without a body', async () => {
    const response = await GET(request(query));
    expect(response.status).toBe(200);
    const body = new Uint8Array(await response.arrayBuffer());
    expect(Number(response.headers.get('content-length'))).toBe(body.length);
    expect(response.headers.get('accept-ranges')).toBe('bytes');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="BTCUSDT-ETHUSDT_1h_price_direction_4h-market_regime_12h_2024-04-01_2024-04-03.parquet"');

    const rows = await parquetReadObjects({ file: body.buffer });
    expect(new Set(rows.map((r) => r.symbol))).toEqual(new Set(['BTC/USDT', 'ETH/USDT']));
    expect(rows).toHaveLength(Number(response.headers.get('x-rows')));
    expect(Object.keys(rows[0]!)).toContain('label_market_regime_12h_known_at');

    const head = await HEAD(request(query));
    expect(head.status).toBe(200);
    expect(head.body).toBeNull();
    expect(head.headers.get('content-length')).toBe(String(body.length));
    expect(head.headers.get('etag')).toBe(response.headers.get('etag'));
  });

  it('answers byte ranges from the same export, so a reader can fetch the footer first', async () => {
    const whole = new Uint8Array(await (await GET(request(query))).arrayBuffer());
    const size = whole.length;
    const tail = await GET(request(query, { headers: { range: 'bytes=-8' } }));
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 8}-${size - 1}/${size}`);
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(whole.subarray(size - 8));
    const footerLength = new DataView(whole.buffer).getUint32(size - 8, true);
    const footer = await GET(request(query, { headers: { range: `bytes=${size - 8 - footerLength}-` } }));
    expect(footer.status).toBe(206);
    expect(Number(footer.headers.get('content-length'))).toBe(footerLength + 8);
    // The footer alone is the file's metadata: a Parquet reader can parse it.
    const meta = parquetMetadata(whole.buffer);
    expect(meta.schema.find((e) => e.name === 'timestamp')!.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' });
    expect(new Uint8Array(await footer.arrayBuffer())).toEqual(whole.subarray(size - 8 - footerLength));

    const beyond = await GET(request(query, { headers: { range: `bytes=${size}-` } }));
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${size}`);
  });

  it('CSV too; metadata=true gives the metadata; bad input is a 400 naming it, nothing to export a 404', async () => {
    const csv = await GET(request('symbol=ETH/USDT&timeframe=1h&from=2024-04-01&to=2024-04-03&label=price_direction'));
    const text = await csv.text();
    expect(Number(csv.headers.get('content-length'))).toBe(Buffer.byteLength(text));
    expect(text.split('\n')[0]).toMatch(/^timestamp,symbol,timeframe,/);

    const metadata = await (await GET(request(`${query}&metadata=true`))).json();
    expect(metadata.series.map((s: { symbol: string }) => s.symbol)).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(metadata.features).toHaveLength(46);

    const bad = await GET(request('symbol=BTC/USDT&timeframe=1h&from=2024-04-01&to=2024-04-03&label=price_direction&simulated=maybe'));
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/simulated must be one of empty, drop, include/);
    const empty = await GET(request('symbol=DOGE/USDT&timeframe=1h&from=2024-04-01&to=2024-04-03&label=price_direction'));
    expect(empty.status).toBe(404);
    expect((await empty.json()).error).toMatch(/no candles of DOGE\/USDT 1h/);
  });
});
