import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLabels, LabelRequestError } from '@/lib/labels/generate';
import { poolSessions } from '@/lib/db/sql';
import { DEFAULT_LABEL_SPECS } from '@/lib/labels/definitions';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { candlesFromCloses, HOUR_MS, insertCandles, wanderingCloses } from './candle-rows';

const T0 = Date.UTC(2024, 2, 1);
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT'];
const CLOSES: Record<string, number[]> = {
  'BTC/USDT': wanderingCloses(100, 60000, 1),
  'ETH/USDT': wanderingCloses(100, 3000, 2),
  'SOL/USDT': wanderingCloses(100, 150, 3),
};

interface LabelRow {
  symbol: string;
  label_type: string;
  horizon: string;
  ts: number;
  future: number;
  label_value: string;
  label_confidence: number;
  realized_return: number;
  source: string;
  is_simulated: boolean;
  label_version: string;
  computed_at: Date;
}

describe('generateLabels against a real database', () => {
  let db: MigratedDatabase;
  let clock = 0;
  const deps = () => ({ sessions: poolSessions(db.pool), now: () => clock });
  const labels = async (where = 'true') =>
    (await db.pool.query<LabelRow>(
      `select symbol, label_type, horizon, (extract(epoch from timestamp) * 1000)::float8 as ts, (extract(epoch from future_timestamp) * 1000)::float8 as future,
         label_value, label_confidence, realized_return, source, is_simulated, label_version, computed_at
       from ml_labels where ${where} order by symbol, label_type, timestamp`,
    )).rows;

  beforeAll(async () => {
    db = await createMigratedDatabase();
    // 100 hourly candles per symbol are stored, but the clock decides which have closed.
    for (const symbol of SYMBOLS) await insertCandles(db.pool, symbol, '1h', candlesFromCloses(T0, HOUR_MS, CLOSES[symbol]!));
  });
  afterAll(() => db.drop());

  it('labels exactly the timestamps whose horizon has passed, never one before', async () => {
    clock = T0 + 60 * HOUR_MS + 30 * 60_000; // candle T0+59h closed at T0+60h
    const result = await generateLabels(deps(), { symbols: SYMBOLS, from: T0 });
    // Volatility needs 24 returns (first t = 24h); the outcome candle must have closed (t + horizon ≤ 59h).
    expect(result.computed).toEqual({ price_direction: 3 * 32, market_regime: 3 * 24, sector_rotation: 3 * 30 });
    expect(result.written).toEqual(result.computed);
    const stored = await labels();
    for (const [type, horizonHours, last] of [['price_direction', 4, 55], ['market_regime', 12, 47], ['sector_rotation', 6, 53]] as const) {
      const ofType = stored.filter((l) => l.label_type === type && l.symbol === 'ETH/USDT');
      expect(ofType[0]!.ts).toBe(T0 + 24 * HOUR_MS);
      expect(ofType.at(-1)!.ts).toBe(T0 + last * HOUR_MS);
      expect(ofType.every((l) => l.future === l.ts + horizonHours * HOUR_MS && l.horizon === `${horizonHours}h`)).toBe(true);
      expect(Math.max(...ofType.map((l) => l.future))).toBeLessThanOrEqual(T0 + 59 * HOUR_MS);
    }
    expect(stored.every((l) => l.source === 'ohlcv:1h' && l.label_version === 'labels-v1' && !l.is_simulated)).toBe(true);
    expect(stored.every((l) => l.label_confidence >= 0 && l.label_confidence <= 1)).toBe(true);
  });

  it('stores what the definition says, checked by hand against the stored closes', async () => {
    const t = T0 + 30 * HOUR_MS;
    const [label] = await labels(`symbol = 'BTC/USDT' and label_type = 'price_direction' and timestamp = '${new Date(t).toISOString()}'`);
    const closes = CLOSES['BTC/USDT']!;
    const returns = Array.from({ length: 24 }, (_, j) => Math.log(closes[30 - 23 + j]! / closes[30 - 24 + j]!));
    const mean = returns.reduce((a, b) => a + b) / 24;
    const sigma = Math.sqrt(returns.reduce((s, r) => s + (r - mean) ** 2, 0) / 24);
    const x = Math.log(closes[34]! / closes[30]!);
    const theta = Math.max(0.5 * sigma * 2, 1e-4);
    expect(label!.label_value).toBe(x > theta ? 'up' : x < -theta ? 'down' : 'flat');
    expect(label!.realized_return).toBeCloseTo(closes[34]! / closes[30]! - 1, 12);
    expect(label!.label_confidence).toBeCloseTo(Math.min(1, Math.abs(Math.abs(x) - theta) / theta), 10);

    // sector_rotation is one market-wide label, stored for every symbol of the basket.
    const rotation = await labels(`label_type = 'sector_rotation' and timestamp = '${new Date(t).toISOString()}'`);
    expect(rotation).toHaveLength(3);
    expect(new Set(rotation.map((l) => `${l.label_value}|${l.realized_return}`)).size).toBe(1);
    const simple = (s: string) => CLOSES[s]![36]! / CLOSES[s]![30]! - 1;
    expect(rotation[0]!.realized_return).toBeCloseTo(simple('BTC/USDT') - (simple('ETH/USDT') + simple('SOL/USDT')) / 2, 12);
  });

  it('running again changes nothing; an hour later exactly the newly due labels appear', async () => {
    const before = await labels();
    const again = await generateLabels(deps(), { symbols: SYMBOLS, from: T0 });
    expect(again.written).toEqual({ price_direction: 0, market_regime: 0, sector_rotation: 0 });
    expect(await labels()).toEqual(before);

    clock += HOUR_MS;
    const later = await generateLabels(deps(), { symbols: SYMBOLS, from: T0 });
    expect(later.written).toEqual({ price_direction: 3, market_regime: 3, sector_rotation: 3 });
    const added = (await labels()).filter((l) => !before.some((b) => b.symbol === l.symbol && b.label_type === l.label_type && b.ts === l.ts));
    expect(added.map((l) => [l.label_type, (l.ts - T0) / HOUR_MS]).sort()).toEqual([
      ['market_regime', 48], ['market_regime', 48], ['market_regime', 48],
      ['price_direction', 56], ['price_direction', 56], ['price_direction', 56],
      ['sector_rotation', 54], ['sector_rotation', 54], ['sector_rotation', 54],
    ]);
  });

  it('a simulated candle flags every label that used it; once a real candle replaces it the labels are rewritten real', async () => {
    const at = new Date(T0 + 40 * HOUR_MS);
    await db.pool.query(`update ml_features_ohlcv set source = 'simulated', is_simulated = true where symbol = 'ETH/USDT' and timestamp = $1`, [at]);
    await generateLabels(deps(), { symbols: SYMBOLS, from: T0 });
    const flagged = await labels(`is_simulated`);
    // ETH's own labels whose window [t − 24h, t + horizon] holds 40h, and every symbol's sector_rotation label.
    const eth = flagged.filter((l) => l.symbol === 'ETH/USDT' && l.label_type === 'price_direction').map((l) => (l.ts - T0) / HOUR_MS);
    // t from 40 − 4 = 36 up to the newest due label, 56 (the clock says 60h closed; 40 + 24 is further).
    expect(eth).toEqual(Array.from({ length: 21 }, (_, i) => 36 + i));
    expect(flagged.filter((l) => l.symbol === 'BTC/USDT').every((l) => l.label_type === 'sector_rotation')).toBe(true);
    expect(flagged.some((l) => l.symbol === 'BTC/USDT')).toBe(true);

    await db.pool.query(`update ml_features_ohlcv set source = 'binance', is_simulated = false where symbol = 'ETH/USDT' and timestamp = $1`, [at]);
    const restored = await generateLabels(deps(), { symbols: SYMBOLS, from: T0 });
    expect(restored.written.price_direction).toBe(eth.length);
    expect(await labels('is_simulated')).toEqual([]);
  });

  it('a gap leaves the labels that would span it out', async () => {
    await db.pool.query(`delete from ml_features_ohlcv where symbol = 'SOL/USDT' and timestamp = $1`, [new Date(T0 + 70 * HOUR_MS)]);
    clock = T0 + 100 * HOUR_MS;
    await generateLabels(deps(), { symbols: ['SOL/USDT'], types: ['price_direction'], from: T0 });
    const times = (await labels(`symbol = 'SOL/USDT' and label_type = 'price_direction'`)).map((l) => (l.ts - T0) / HOUR_MS);
    expect(times.filter((h) => h >= 66 && h <= 94)).toEqual([]);
    expect(times).toContain(65);
    expect(times).toContain(95);
  });

  it('rejects horizons that are not whole candles and empty symbol lists', async () => {
    await expect(generateLabels(deps(), { symbols: SYMBOLS, timeframe: '4h', types: ['sector_rotation'] })).rejects.toThrow(LabelRequestError);
    await expect(generateLabels(deps(), { symbols: SYMBOLS, specs: [{ ...DEFAULT_LABEL_SPECS.price_direction, horizon: '4x' }] })).rejects.toThrow('horizon');
    await expect(generateLabels(deps(), { symbols: [] })).rejects.toThrow('no symbols');
  });
});
