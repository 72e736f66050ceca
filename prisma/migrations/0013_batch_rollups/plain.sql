-- Plain-mode rollups maintained by the writer of a batch (lib/ingest/store-batch.ts) instead of
-- per-statement triggers. For series whose candles are an hour or longer every hourly bucket holds
-- exactly one candle, so the batch's upsert writes the hourly rows itself from the rows it wrote
-- (no re-read, no window); the days those rows touch are then recomputed once per batch by the
-- function below. Shorter timeframes still use ff_recompute_ohlcv_rollups. Other writers
-- (retention, hand-written SQL) keep the triggers of 0001.

-- Recompute the days (symbol, timeframe, day) holding the given hourly buckets from ml_features_ohlcv_1h.
create function ff_recompute_ohlcv_daily(p_symbols text[], p_timeframes text[], p_days timestamptz[])
returns void language plpgsql as $$
begin
  -- As ff_recompute_ohlcv_rollups: serialize per series, so the recompute sees every committed hour.
  perform pg_advisory_xact_lock(hashtextextended('ff_rollup:' || s || ':' || t, 0))
  from (select distinct s, t from unnest(p_symbols, p_timeframes) as k(s, t) order by 1, 2) series;

  insert into ml_features_ohlcv_1d as r (
    symbol, timeframe, bucket, open_price, high_price, low_price, close_price, volume, price_volume, vwap,
    atr, rsi, macd, macd_signal, macd_histogram, bollinger_upper, bollinger_middle, bollinger_lower, stoch_k, stoch_d, williams_r, cci, adx, obv, mfi, return_1, return_4, return_24, log_return_1, log_return_4, log_return_24, realized_vol_24, dist_sma_20, dist_ema_20, dist_sma_50, dist_sma_200, plus_di, minus_di, roc_10, keltner_width, donchian_width, volume_zscore_20,
    candle_count, simulated_count
  )
  with touched as (
    select distinct k.symbol, k.timeframe, date_trunc('day', k.bucket, 'UTC') as day
    from unnest(p_symbols, p_timeframes, p_days) as k(symbol, timeframe, bucket)
  ), rows_in as (
    select h.*, t.day
    from touched t
    cross join lateral (
      select * from ml_features_ohlcv_1h h
      where h.symbol = t.symbol and h.timeframe = t.timeframe
        and h.bucket >= t.day and h.bucket < t.day + interval '1 day'
      offset 0
    ) h
  )
  select distinct on (symbol, timeframe, day)
    symbol, timeframe, day,
    first_value(open_price) over w, max(high_price) over w, min(low_price) over w, close_price, sum(volume) over w,
    sum(price_volume) over w, sum(price_volume) over w / nullif(sum(volume) over w, 0),
    atr, rsi, macd, macd_signal, macd_histogram, bollinger_upper, bollinger_middle, bollinger_lower, stoch_k, stoch_d, williams_r, cci, adx, obv, mfi, return_1, return_4, return_24, log_return_1, log_return_4, log_return_24, realized_vol_24, dist_sma_20, dist_ema_20, dist_sma_50, dist_sma_200, plus_di, minus_di, roc_10, keltner_width, donchian_width, volume_zscore_20,
    sum(candle_count) over w, sum(simulated_count) over w
  from rows_in
  window w as (partition by symbol, timeframe, day order by bucket rows between unbounded preceding and unbounded following)
  order by symbol, timeframe, day, bucket desc
  on conflict (symbol, timeframe, bucket) do update set
      open_price = excluded.open_price,
      high_price = excluded.high_price,
      low_price = excluded.low_price,
      close_price = excluded.close_price,
      volume = excluded.volume,
      price_volume = excluded.price_volume,
      vwap = excluded.vwap,
      atr = excluded.atr,
      rsi = excluded.rsi,
      macd = excluded.macd,
      macd_signal = excluded.macd_signal,
      macd_histogram = excluded.macd_histogram,
      bollinger_upper = excluded.bollinger_upper,
      bollinger_middle = excluded.bollinger_middle,
      bollinger_lower = excluded.bollinger_lower,
      stoch_k = excluded.stoch_k,
      stoch_d = excluded.stoch_d,
      williams_r = excluded.williams_r,
      cci = excluded.cci,
      adx = excluded.adx,
      obv = excluded.obv,
      mfi = excluded.mfi,
      return_1 = excluded.return_1,
      return_4 = excluded.return_4,
      return_24 = excluded.return_24,
      log_return_1 = excluded.log_return_1,
      log_return_4 = excluded.log_return_4,
      log_return_24 = excluded.log_return_24,
      realized_vol_24 = excluded.realized_vol_24,
      dist_sma_20 = excluded.dist_sma_20,
      dist_ema_20 = excluded.dist_ema_20,
      dist_sma_50 = excluded.dist_sma_50,
      dist_sma_200 = excluded.dist_sma_200,
      plus_di = excluded.plus_di,
      minus_di = excluded.minus_di,
      roc_10 = excluded.roc_10,
      keltner_width = excluded.keltner_width,
      donchian_width = excluded.donchian_width,
      volume_zscore_20 = excluded.volume_zscore_20,
      candle_count = excluded.candle_count,
      simulated_count = excluded.simulated_count;
end
$$;
