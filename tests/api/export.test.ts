import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parquetReadObjects } from 'hyparquet';
import { poolSessions } from '@/lib/db/sql';
import { generateLabels } from '@/lib/labels/generate';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { candlesFromCloses, HOUR_MS, insertCandles, wanderingCloses } from '../labels/candle-rows';

const T0 = Date.UTC(2024, 3, 1);

/** GET /api/export: the dashboard's download of the training set, through the real route. */
describe('GET /api/export', () => {
  let db: MigratedDatabase;
  let GET: (request: Request) => Promise<Response>;
  let closePool: () => Promise<void>;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    await insertCandles(db.pool, 'BTC/USDT', '1h', candlesFromCloses(T0, HOUR_MS, wanderingCloses(60, 1000, 1)));
    await generateLabels({ sessions: poolSessions(db.pool), now: () => T0 + 61 * HOUR_MS }, { symbols: ['BTC/USDT'], types: ['price_direction'], from: T0 });
    vi.stubEnv('DATABASE_URL', db.url);
    vi.resetModules();
    ({ GET } = await import('../../app/api/export/route'));
    ({ closePool } = await import('../../lib/db/pool'));
  });
  afterAll(async () => {
    await closePool();
    vi.unstubAllEnvs();
    await db.drop();
  });
  const get = (query: string) => GET(new Request(`http://localhost/api/export?${query}`));
  const base = 'symbol=BTC/USDT&timeframe=1h&from=2024-04-01&to=2024-04-03&label=price_direction';

  it('downloads the CSV with a filename and its row count', async () => {
    const response = await get(base);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="BTCUSDT_1h_price_direction_4h_2024-04-01_2024-04-03\.csv"$/);
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toMatch(/^timestamp,/);
    expect(lines.length - 1).toBe(Number(response.headers.get('x-rows')));
    // One row per labelled, real candle in the range.
    const { rows: [labelled] } = await db.pool.query("select count(*)::int as n from ml_labels where symbol = 'BTC/USDT' and label_type = 'price_direction'");
    expect(labelled.n).toBeGreaterThan(20);
    expect(lines.length - 1).toBe(labelled.n);
  });

  it('downloads the same rows as Parquet', async () => {
    const csvRows = Number((await get(base)).headers.get('x-rows'));
    const response = await get(`${base}&format=parquet`);
    expect(response.headers.get('content-type')).toMatch(/parquet|octet-stream/);
    const rows = await parquetReadObjects({ file: await response.arrayBuffer() });
    expect(rows).toHaveLength(csvRows);
  });

  it('answers 400 naming the bad argument, and 404 saying why when nothing matches', async () => {
    const bad = await get('symbol=BTC/USDT&timeframe=1h&from=2024-04-03&to=2024-04-01&label=price_direction');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/to|from/);
    const unknownLabel = await get('symbol=BTC/USDT&timeframe=1h&from=2024-04-01&to=2024-04-03&label=moon');
    expect(unknownLabel.status).toBe(400);
    const empty = await get('symbol=ETH/USDT&timeframe=1h&from=2024-04-01&to=2024-04-03&label=price_direction');
    expect(empty.status).toBe(404);
    expect((await empty.json()).error).toBeTruthy();
  });
});
