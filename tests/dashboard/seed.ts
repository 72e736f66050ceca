import type pg from 'pg';
import { storeCandles } from '@/lib/ingest/store';
import { poolSessions } from '@/lib/db/sql';
import type { Candle } from '@/lib/market/candle';
import { marketCandles } from '../market/binance-replay';

export const H = 3_600_000;
export const D = 24 * H;

/** Stores candles through the product's own write path (features, rollups, provenance). */
export async function store(pool: pg.Pool, symbol: string, timeframe: string, candles: readonly Candle[], source = 'binance') {
  return poolSessions(pool)((db) => storeCandles(db, { symbol, timeframe, source, candles, now: Date.UTC(2030, 0, 1) }));
}

export { marketCandles };

/**
 * Hourly sentiment rows, deterministic: ratios sum to 1, and rows whose hour is a multiple of 5 had
 * their news input simulated. Inserted directly: these tests are about reading, not computing.
 */
export async function insertSentiment(pool: pg.Pool, symbol: string, start: number, hours: number) {
  await pool.query(
    `insert into ml_features_sentiment (timestamp, symbol, fear_greed_index, social_sentiment_score, news_sentiment_score,
       sentiment_momentum, sentiment_volatility, bullish_sentiment_ratio, bearish_sentiment_ratio, neutral_sentiment_ratio,
       real_inputs, simulated_inputs, is_simulated, feature_version)
     select to_timestamp($2::float8 / 1000) + make_interval(hours => i), $1, 50 + 30 * sin(i / 20.0), sin(i / 7.0) / 2, cos(i / 9.0) / 2,
       sin(i / 5.0) / 10, 0.1 + abs(cos(i / 11.0)) / 10, 0.5, 0.25, 0.25,
       case when i % 5 = 0 then '{fear_greed,social}'::text[] else '{fear_greed,news,social}' end,
       case when i % 5 = 0 then '{news}'::text[] else '{}' end,
       i % 5 = 0, 'test'
     from generate_series(0, $3::int - 1) as i`,
    [symbol, start, hours],
  );
}

/** Hourly labels of one type and horizon: 'up' when i % 3 = 0 (return +1%), 'down' when 1 (-1%), else 'flat' (0). */
export async function insertLabels(pool: pg.Pool, symbol: string, labelType: string, horizon: string, start: number, hours: number) {
  await pool.query(
    `insert into ml_labels (timestamp, symbol, label_type, horizon, label_value, label_confidence, future_timestamp, realized_return, source, label_version)
     select ts, $1, $2, $3::text, v.value, 0.8, ts + $3::text::interval, v.ret, 'binance', 'test'
     from generate_series(0, $5::int - 1) as i
     cross join lateral (select to_timestamp($4::float8 / 1000) + make_interval(hours => i) as ts) t
     cross join lateral (select case i % 3 when 0 then 'up' when 1 then 'down' else 'flat' end as value,
                                case i % 3 when 0 then 0.01 when 1 then -0.01 else 0 end as ret) v`,
    [symbol, labelType, horizon, start, hours],
  );
}
