import type pg from 'pg';
import type { Candle } from '@/lib/market/candle';

/** Candles for ml_features_ohlcv in tests: prices only (features null), real unless flagged simulated. */
export interface TestCandle extends Candle {
  simulated?: boolean;
}

export const HOUR_MS = 3_600_000;

export async function insertCandles(pool: pg.Pool, symbol: string, timeframe: string, candles: readonly TestCandle[]): Promise<void> {
  await pool.query(
    `insert into ml_features_ohlcv (symbol, timeframe, timestamp, open_price, high_price, low_price, close_price, volume, source, is_simulated, feature_version)
     select $1, $2, to_timestamp(u.ts / 1000.0), u.o, u.h, u.l, u.c, u.v, case when u.sim then 'simulated' else 'binance' end, u.sim, 'ohlcv-v1'
     from unnest($3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::bool[]) as u(ts, o, h, l, c, v, sim)
     on conflict (symbol, timeframe, timestamp) do update set open_price = excluded.open_price, high_price = excluded.high_price,
       low_price = excluded.low_price, close_price = excluded.close_price, volume = excluded.volume, source = excluded.source, is_simulated = excluded.is_simulated`,
    [
      symbol,
      timeframe,
      candles.map((c) => c.timestamp),
      candles.map((c) => c.open),
      candles.map((c) => c.high),
      candles.map((c) => c.low),
      candles.map((c) => c.close),
      candles.map((c) => c.volume),
      candles.map((c) => c.simulated ?? false),
    ],
  );
}

/** Candles from closes: each opens at the previous close; wicks just cover open and close. */
export function candlesFromCloses(start: number, stepMs: number, closes: readonly number[], volume: (i: number) => number = () => 100): TestCandle[] {
  return closes.map((close, i) => {
    const open = i === 0 ? close : closes[i - 1]!;
    return { timestamp: start + i * stepMs, open, high: Math.max(open, close), low: Math.min(open, close), close, volume: volume(i) };
  });
}

/** A gently wandering price series (deterministic), for tests that need plausible candles. */
export function wanderingCloses(count: number, startPrice: number, seed: number): number[] {
  let state = seed >>> 0;
  const closes: number[] = [];
  let price = startPrice;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    price *= Math.exp(((state / 2 ** 32) - 0.5) * 0.02);
    closes.push(price);
  }
  return closes;
}
