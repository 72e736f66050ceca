import { RANGE_KEYS } from '@/lib/market/range';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIndicatorSeries, readChartRows } from '@/lib/dashboard/indicators';
import { listStoredSeries } from '@/lib/dashboard/series';
import { readRows } from '@/lib/ingest/series';
import { poolSessions } from '@/lib/db/sql';
import type { Candle } from '@/lib/market/candle';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { D, H, marketCandles, store } from './seed';

const START = Date.UTC(2021, 0, 1);
// A year and a month of hourly candles, then a 3-hour outage, then 10 simulated candles.
const HOURS = 395 * 24;
const real = marketCandles(HOURS, START, H, 7);
const lastReal = real[real.length - 1]!;
const simulated: Candle[] = marketCandles(10, lastReal.timestamp + 4 * H, H, 9, lastReal.close);
const NEWEST = simulated[simulated.length - 1]!.timestamp;

describe('getIndicatorSeries', () => {
  let db: MigratedDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    await store(db.pool, 'BTC/USDT', '1h', real);
    await store(db.pool, 'BTC/USDT', '1h', simulated, 'simulated');
    await store(db.pool, 'ETH/USDT', '15m', marketCandles(4 * 24 * 10, START, 15 * 60_000, 3, 700));
  }, 180_000);
  afterAll(() => db.drop());

  it('reads a year of hourly candles as 12-hour buckets from the hourly rollup, equal to the same buckets computed from the raw candles', async () => {
    const series = await getIndicatorSeries(db.pool, { symbol: 'BTC/USDT', timeframe: '1h', range: '1y' });
    // Whole 12-hour buckets, from the first one after the range start to the one holding the newest candle.
    const twelve = 12 * H;
    expect(series).toMatchObject({ end: NEWEST, from: Math.floor((NEWEST - 365 * D) / twelve) * twelve + twelve, to: Math.floor(NEWEST / twelve) * twelve + twelve, table: '1h', vwapKind: 'bucket' });
    expect(series.bucket).toMatchObject({ width: '12h', source: '1h', exact: false });
    const { t } = series.columns;
    expect(t.length).toBeGreaterThan(720);
    expect(t.length).toBeLessThanOrEqual(series.bucket.maxPoints);

    // The same buckets, worked out here from the stored raw rows (features included).
    const stored = await poolSessions(db.pool)((s) => readRows(s, { symbol: 'BTC/USDT', timeframe: '1h' }));
    const inWindow = stored.filter((r) => r.timestamp >= series.from! && r.timestamp < series.to!);
    const buckets = new Map<number, typeof inWindow>();
    for (const row of inWindow) {
      const key = Math.floor(row.timestamp / (12 * H)) * 12 * H;
      buckets.set(key, [...(buckets.get(key) ?? []), row]);
    }
    expect(t).toEqual([...buckets.keys()]);
    [...buckets.values()].forEach((rows, i) => {
      const last = rows[rows.length - 1]!;
      const volume = rows.reduce((sum, r) => sum + r.volume, 0);
      const priceVolume = rows.reduce((sum, r) => sum + ((r.high + r.low + r.close) / 3) * r.volume, 0);
      expect(series.columns.open[i]).toBe(rows[0]!.open);
      expect(series.columns.high[i]).toBe(Math.max(...rows.map((r) => r.high)));
      expect(series.columns.low[i]).toBe(Math.min(...rows.map((r) => r.low)));
      expect(series.columns.close[i]).toBe(last.close);
      expect(series.columns.volume[i]).toBeCloseTo(volume, 6);
      expect(series.columns.vwap[i]).toBeCloseTo(priceVolume / volume, 6);
      expect(series.columns.rsi[i]).toBe(last.features.rsi);
      expect(series.columns.macd_histogram[i]).toBe(last.features.macd_histogram);
      expect(series.columns.candles[i]).toBe(rows.length);
      expect(series.columns.simulated[i]).toBe(rows.filter((r) => r.isSimulated).length);
    });
  });

  it('reads the same buckets from a rollup as from the raw candles, whole days included', async () => {
    // A daily read from the daily rollup against the same window aggregated from raw rows.
    const daily = await getIndicatorSeries(db.pool, { symbol: 'BTC/USDT', timeframe: '1h', range: '1y', points: 400 });
    expect(daily).toMatchObject({ table: '1d', bucket: { width: '1d', source: '1d' } });
    const raw = await readChartRows(db.pool, { symbol: 'BTC/USDT', timeframe: '1h', from: daily.from!, to: daily.to!, bucket: { ...daily.bucket, source: 'raw' } });
    expect(raw.rows.map((r) => r.t)).toEqual(daily.columns.t);
    expect(raw.rows.map((r) => r.close)).toEqual(daily.columns.close);
    expect(raw.rows.map((r) => r.candles)).toEqual(daily.columns.candles);
    raw.rows.forEach((r, i) => expect(r.vwap).toBeCloseTo(daily.columns.vwap[i]!, 6));
  });

  it('never returns more points than asked', async () => {
    for (const range of RANGE_KEYS) {
      for (const points of [60, 200, 1_500]) {
        const series = await getIndicatorSeries(db.pool, { symbol: 'BTC/USDT', timeframe: '1h', range, points });
        expect(series.columns.t.length, `${range} at ${points}`).toBeLessThanOrEqual(points);
      }
    }
  });

  it('draws exact candles for short ranges, with the stored session VWAP and indicators', async () => {
    const end = START + 100 * H;
    const series = await getIndicatorSeries(db.pool, { symbol: 'BTC/USDT', timeframe: '1h', range: '1d', end });
    expect(series).toMatchObject({ table: 'raw', vwapKind: 'session', bucket: { exact: true, width: '1h' } });
    const stored = (await poolSessions(db.pool)((s) => readRows(s, { symbol: 'BTC/USDT', timeframe: '1h' }))).filter((r) => r.timestamp > end - D && r.timestamp <= end);
    expect(series.columns.t).toEqual(stored.map((r) => r.timestamp));
    expect(series.columns.vwap).toEqual(stored.map((r) => r.features.vwap));
    expect(series.columns.cci).toEqual(stored.map((r) => r.features.cci));
  });

  it('marks the simulated stretch after the outage, and nothing else', async () => {
    const series = await getIndicatorSeries(db.pool, { symbol: 'BTC/USDT', timeframe: '1h', range: '1w' });
    expect(series.simulatedStretches).toEqual([{ from: simulated[0]!.timestamp, to: NEWEST + H, candles: 10 }]);
    // The outage itself is a hole in the time axis, not a point.
    expect(series.columns.t).not.toContain(lastReal.timestamp + H);
  });

  it('re-buckets sub-hour candles from the raw table and hour multiples from the hourly rollup', async () => {
    const day = await getIndicatorSeries(db.pool, { symbol: 'ETH/USDT', timeframe: '15m', range: '1d' });
    expect(day).toMatchObject({ table: 'raw', bucket: { width: '15m', exact: true } });
    expect(day.columns.t).toHaveLength(4 * 24);
    const week = await getIndicatorSeries(db.pool, { symbol: 'ETH/USDT', timeframe: '15m', range: '1w', points: 200 });
    expect(week).toMatchObject({ table: '1h', bucket: { width: '1h', source: '1h' } });
    expect(week.columns.candles.every((n) => n === 4)).toBe(true);
    const fine = await getIndicatorSeries(db.pool, { symbol: 'ETH/USDT', timeframe: '15m', range: '1w', points: 400 });
    expect(fine).toMatchObject({ table: 'raw', bucket: { width: '30m', source: 'raw' } });
    expect(fine.columns.candles.every((n) => n === 2)).toBe(true);
  });

  it('returns an empty series, not an error, for a symbol with no data', async () => {
    const series = await getIndicatorSeries(db.pool, { symbol: 'DOGE/USDT', timeframe: '1h', range: '30d' });
    expect(series).toMatchObject({ from: null, to: null, end: null, simulatedStretches: [] });
    expect(series.columns.t).toEqual([]);
  });

  it('lists stored series with their newest candle and simulated counts', async () => {
    expect(await listStoredSeries(db.pool)).toEqual([
      { symbol: 'BTC/USDT', timeframe: '1h', candles: HOURS + 10, simulated: 10, firstDay: START, newest: NEWEST },
      { symbol: 'ETH/USDT', timeframe: '15m', candles: 960, simulated: 0, firstDay: START, newest: START + 959 * 15 * 60_000 },
    ]);
  });
});
