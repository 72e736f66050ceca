import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolSessions } from '@/lib/db/sql';
import { labelBehindWatermarks, readWatermarks } from '@/lib/labels';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { candlesFromCloses, HOUR_MS, insertCandles, wanderingCloses } from './candle-rows';

const T0 = Date.UTC(2024, 2, 1);
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];

describe('the worker labels everything behind its per-series watermark', () => {
  let db: MigratedDatabase;
  let clock = 0;
  const deps = () => ({ sessions: poolSessions(db.pool), now: () => clock });
  const labelHours = async (symbol: string, type: string) =>
    (await db.pool.query<{ h: number }>(
      `select ((extract(epoch from timestamp) * 1000 - $3) / 3600000)::int as h from ml_labels where symbol = $1 and label_type = $2 order by timestamp`,
      [symbol, type, T0],
    )).rows.map((r) => r.h);

  beforeAll(async () => {
    db = await createMigratedDatabase();
    // 400 hours stored; the clock decides which have closed.
    await insertCandles(db.pool, 'BTC/USDT', '1h', candlesFromCloses(T0, HOUR_MS, wanderingCloses(400, 60000, 1)));
    await insertCandles(db.pool, 'ETH/USDT', '1h', candlesFromCloses(T0, HOUR_MS, wanderingCloses(400, 3000, 2)));
  });
  afterAll(() => db.drop());

  it('the first run labels the whole history and sets the watermark where every horizon had passed', async () => {
    clock = T0 + 100 * HOUR_MS;
    const result = await labelBehindWatermarks(deps(), { symbols: SYMBOLS });
    // Candle 99 is the newest closed; the longest horizon is 12h: labels are settled through 87h.
    expect(result.settledThrough).toBe(T0 + 87 * HOUR_MS);
    expect((await readWatermarks(db.pool, SYMBOLS, '1h')).get('BTC/USDT')).toBe(T0 + 87 * HOUR_MS);
    const hours = await labelHours('BTC/USDT', 'price_direction');
    expect(hours[0]).toBe(24);
    expect(hours.at(-1)).toBe(95);
  });

  it('after nine days down, the next run fills every hour since, not just the last seven days', async () => {
    clock = T0 + (100 + 9 * 24) * HOUR_MS; // 316h
    const result = await labelBehindWatermarks(deps(), { symbols: SYMBOLS });
    expect(result.resumedFrom).toBeLessThanOrEqual(T0 + 88 * HOUR_MS);
    for (const symbol of SYMBOLS) {
      const hours = await labelHours(symbol, 'price_direction');
      // Every t from 24 to 311 (t + 4h ≤ 315, the newest closed candle), with no hole.
      expect(hours).toEqual(Array.from({ length: 311 - 24 + 1 }, (_, i) => 24 + i));
    }
    const rotation = await labelHours('ETH/USDT', 'sector_rotation');
    expect(rotation).toContain(150); // older than a 7-day look-back from 316h
    expect((await readWatermarks(db.pool, SYMBOLS, '1h')).get('ETH/USDT')).toBe(T0 + 303 * HOUR_MS);
    const { rows } = await db.pool.query("select distinct basket, spec_name, threshold_k from ml_labels where label_type = 'sector_rotation'");
    expect(rows).toEqual([{ basket: ['BTC/USDT', 'ETH/USDT'], spec_name: 'sector_rotation', threshold_k: 1 }]);
  });

  it('running again writes nothing', async () => {
    const again = await labelBehindWatermarks(deps(), { symbols: SYMBOLS });
    expect(Object.values(again.written).every((n) => n === 0)).toBe(true);
  });
});
