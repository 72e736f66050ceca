import 'server-only';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';

export interface SimulatedDay {
  t: number;
  symbol: string;
  candles: number;
  simulated: number;
}

/**
 * Share of stored candles that are simulated, per symbol and UTC day (all timeframes together),
 * over the last `days` days of stored data. Read from the daily rollup: a row per series and day.
 */
export async function simulatedRates(db: Sql, request: { days: number }): Promise<SimulatedDay[]> {
  const { rows } = await db.query<SimulatedDay>(
    `select ${epochMs('bucket')} as t, symbol, sum(candle_count)::float8 as candles, sum(simulated_count)::float8 as simulated
     from ml_features_ohlcv_1d
     where bucket > (select max(bucket) from ml_features_ohlcv_1d) - make_interval(days => $1)
     group by bucket, symbol order by bucket, symbol`,
    [request.days],
  );
  return rows;
}
