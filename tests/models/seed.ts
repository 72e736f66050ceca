import type pg from 'pg';

/** A small seeded PRNG (mulberry32): exact 32-bit integer steps, unlike a float LCG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A stored 1h series for model tests: the five fixture features drawn like
 * scripts/models/make_fixtures.py draws them, and a price_direction label for each candle that
 * depends on them (so a model can beat the majority), written as the product stores them.
 */
export const FIXTURE_FEATURES = ['rsi', 'macd_histogram', 'return_4', 'realized_vol_24', 'volume_zscore_20'];
export const CLASSES = ['down', 'flat', 'up'];
export const HOUR = 3_600_000;

export interface SeedOptions {
  symbol: string;
  start: number;
  hours: number;
  seed?: number;
  /** Candles at these indices are stored as simulated. */
  simulated?: (i: number) => boolean;
  /** Shifts rsi by this much (drift). */
  rsiShift?: number;
  labels?: boolean;
}

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export async function seedSeries(pool: pg.Pool, o: SeedOptions): Promise<void> {
  const random = mulberry32(o.seed ?? 1);
  const rows = Array.from({ length: o.hours }, (_, i) => {
    const rsi = 10 + random() * 80 + (o.rsiShift ?? 0);
    const macd = gaussian(random) * 50;
    const ret = gaussian(random) * 0.02;
    const vol = 0.008 * (0.5 + random());
    const z = gaussian(random);
    const score = (rsi - 50) / 20 + macd / 60 + ret / 0.02 + gaussian(random) * 0.7;
    return { ts: o.start + i * HOUR, rsi, macd, ret, vol, z, label: score > 0.8 ? 'up' : score < -0.8 ? 'down' : 'flat', sim: o.simulated?.(i) ?? false };
  });
  await pool.query(
    `insert into ml_features_ohlcv (symbol, timeframe, timestamp, open_price, high_price, low_price, close_price, volume, source, is_simulated, feature_version,
       rsi, macd_histogram, return_4, realized_vol_24, volume_zscore_20)
     select $1, '1h', to_timestamp(u.ts / 1000.0), 100, 120, 80, 100 * (1 + greatest(-0.19, least(0.19, u.ret))), 10, case when u.sim then 'simulated' else 'binance' end, u.sim, 'ohlcv-v1',
       u.rsi, u.macd, u.ret, u.vol, u.z
     from unnest($2::float8[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::bool[]) as u(ts, rsi, macd, ret, vol, z, sim)
     on conflict (symbol, timeframe, timestamp) do update set source = excluded.source, is_simulated = excluded.is_simulated, rsi = excluded.rsi`,
    [o.symbol, rows.map((r) => r.ts), rows.map((r) => r.rsi), rows.map((r) => r.macd), rows.map((r) => r.ret), rows.map((r) => r.vol), rows.map((r) => r.z), rows.map((r) => r.sim)],
  );
  if (o.labels === false) return;
  await pool.query(
    `insert into ml_labels (symbol, label_type, horizon, timestamp, label_value, label_confidence, future_timestamp, realized_return, source, is_simulated, label_version)
     select $1, 'price_direction', '4h', to_timestamp(u.ts / 1000.0), u.label, 0.5, to_timestamp(u.ts / 1000.0) + interval '4 hours', 0, 'ohlcv:1h', false, 'labels-v1'
     from unnest($2::float8[], $3::text[]) as u(ts, label)
     on conflict do nothing`,
    [o.symbol, rows.map((r) => r.ts), rows.map((r) => r.label)],
  );
}
