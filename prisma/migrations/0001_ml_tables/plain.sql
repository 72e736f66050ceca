-- Plain PostgreSQL mode (also the embedded server): the continuous aggregates of timescale.sql are
-- real tables here, with the same names and columns, kept current by statement-level triggers that
-- recompute only the buckets a statement touched, inside the writing transaction: a batch and its
-- rollups commit together or not at all.
--
-- Buckets are UTC hours/days. A bucket whose raw rows are all gone keeps its aggregate (as a
-- TimescaleDB aggregate outlives dropped chunks); retention deletes with ff.skip_rollups = on.

create table ml_features_ohlcv_1h (
  symbol text not null,
  timeframe text not null,
  bucket timestamptz not null,
  open_price double precision not null,
  high_price double precision not null,
  low_price double precision not null,
  close_price double precision not null,
  volume double precision not null,
  price_volume double precision not null,
  vwap double precision,
  atr double precision,
  rsi double precision,
  macd double precision,
  macd_signal double precision,
  macd_histogram double precision,
  bollinger_upper double precision,
  bollinger_middle double precision,
  bollinger_lower double precision,
  stoch_k double precision,
  stoch_d double precision,
  williams_r double precision,
  cci double precision,
  adx double precision,
  obv double precision,
  mfi double precision,
  return_1 double precision,
  return_4 double precision,
  return_24 double precision,
  log_return_1 double precision,
  log_return_4 double precision,
  log_return_24 double precision,
  realized_vol_24 double precision,
  dist_sma_20 double precision,
  dist_ema_20 double precision,
  dist_sma_50 double precision,
  dist_sma_200 double precision,
  plus_di double precision,
  minus_di double precision,
  roc_10 double precision,
  keltner_width double precision,
  donchian_width double precision,
  volume_zscore_20 double precision,
  candle_count bigint not null,
  simulated_count bigint not null,
  primary key (symbol, timeframe, bucket)
);

create table ml_features_ohlcv_1d (
  symbol text not null,
  timeframe text not null,
  bucket timestamptz not null,
  open_price double precision not null,
  high_price double precision not null,
  low_price double precision not null,
  close_price double precision not null,
  volume double precision not null,
  price_volume double precision not null,
  vwap double precision,
  atr double precision,
  rsi double precision,
  macd double precision,
  macd_signal double precision,
  macd_histogram double precision,
  bollinger_upper double precision,
  bollinger_middle double precision,
  bollinger_lower double precision,
  stoch_k double precision,
  stoch_d double precision,
  williams_r double precision,
  cci double precision,
  adx double precision,
  obv double precision,
  mfi double precision,
  return_1 double precision,
  return_4 double precision,
  return_24 double precision,
  log_return_1 double precision,
  log_return_4 double precision,
  log_return_24 double precision,
  realized_vol_24 double precision,
  dist_sma_20 double precision,
  dist_ema_20 double precision,
  dist_sma_50 double precision,
  dist_sma_200 double precision,
  plus_di double precision,
  minus_di double precision,
  roc_10 double precision,
  keltner_width double precision,
  donchian_width double precision,
  volume_zscore_20 double precision,
  candle_count bigint not null,
  simulated_count bigint not null,
  primary key (symbol, timeframe, bucket)
);

create table ml_features_sentiment_1h (
  symbol text not null,
  bucket timestamptz not null,
  fear_greed_index double precision,
  social_sentiment_score double precision,
  news_sentiment_score double precision,
  weighted_coin_sentiment double precision,
  whale_sentiment_proxy double precision,
  sentiment_divergence_score double precision,
  multi_timeframe_sentiment double precision,
  sentiment_momentum double precision,
  sentiment_volatility double precision,
  bullish_sentiment_ratio double precision,
  bearish_sentiment_ratio double precision,
  neutral_sentiment_ratio double precision,
  sentiment_trend_strength double precision,
  sample_count bigint not null,
  simulated_count bigint not null,
  primary key (symbol, bucket)
);

create table ml_features_sentiment_1d (
  symbol text not null,
  bucket timestamptz not null,
  fear_greed_index double precision,
  social_sentiment_score double precision,
  news_sentiment_score double precision,
  weighted_coin_sentiment double precision,
  whale_sentiment_proxy double precision,
  sentiment_divergence_score double precision,
  multi_timeframe_sentiment double precision,
  sentiment_momentum double precision,
  sentiment_volatility double precision,
  bullish_sentiment_ratio double precision,
  bearish_sentiment_ratio double precision,
  neutral_sentiment_ratio double precision,
  sentiment_trend_strength double precision,
  sample_count bigint not null,
  simulated_count bigint not null,
  primary key (symbol, bucket)
);

create table ml_labels_daily_counts (
  symbol text not null,
  label_type text not null,
  horizon text not null,
  label_value text not null,
  bucket timestamptz not null,
  label_count bigint not null,
  avg_realized_return double precision,
  avg_confidence double precision,
  simulated_count bigint not null,
  primary key (symbol, label_type, horizon, label_value, bucket)
);

create function ff_rollups_skipped() returns boolean language sql stable as $$
  select coalesce(current_setting('ff.skip_rollups', true), '') = 'on'
$$;

-- Recompute the hourly buckets (symbol, timeframe, bucket) listed in the arrays, then the days that hold them.
create function ff_recompute_ohlcv_rollups(p_symbols text[], p_timeframes text[], p_buckets timestamptz[])
returns void language plpgsql as $$
begin
  -- Serialize writers per series: the recompute below must see every committed row of the bucket,
  -- or a concurrent writer could publish a rollup computed from a stale snapshot.
  perform pg_advisory_xact_lock(hashtextextended('ff_rollup:' || s || ':' || t, 0))
  from (select distinct s, t from unnest(p_symbols, p_timeframes) as k(s, t) order by 1, 2) series;

  insert into ml_features_ohlcv_1h as r (
    symbol, timeframe, bucket, open_price, high_price, low_price, close_price, volume, price_volume, vwap,
    atr, rsi, macd, macd_signal, macd_histogram, bollinger_upper, bollinger_middle, bollinger_lower, stoch_k, stoch_d, williams_r, cci, adx, obv, mfi, return_1, return_4, return_24, log_return_1, log_return_4, log_return_24, realized_vol_24, dist_sma_20, dist_ema_20, dist_sma_50, dist_sma_200, plus_di, minus_di, roc_10, keltner_width, donchian_width, volume_zscore_20,
    candle_count, simulated_count
  )
  with touched as (
    select distinct k.symbol, k.timeframe, k.bucket
    from unnest(p_symbols, p_timeframes, p_buckets) as k(symbol, timeframe, bucket)
  ), rows_in as (
    -- A lateral index range scan per bucket: a plain join lets the planner merge on the series
    -- and filter the time range afterwards, quadratic in the rows of the statement.
    select f.*, t.bucket
    from touched t
    cross join lateral (
      select * from ml_features_ohlcv f
      where f.symbol = t.symbol and f.timeframe = t.timeframe
        and f.timestamp >= t.bucket and f.timestamp < t.bucket + interval '1 hour'
      offset 0
    ) f
  )
  -- One pass: the bucket's last row (DISTINCT ON, newest first) carries the last close and the last
  -- indicator values; window aggregates over the whole bucket carry the rest.
  select distinct on (symbol, timeframe, bucket)
    symbol, timeframe, bucket,
    first_value(open_price) over w, max(high_price) over w, min(low_price) over w, close_price, sum(volume) over w,
    sum((high_price + low_price + close_price) / 3 * volume) over w,
    sum((high_price + low_price + close_price) / 3 * volume) over w / nullif(sum(volume) over w, 0),
    atr, rsi, macd, macd_signal, macd_histogram, bollinger_upper, bollinger_middle, bollinger_lower, stoch_k, stoch_d, williams_r, cci, adx, obv, mfi, return_1, return_4, return_24, log_return_1, log_return_4, log_return_24, realized_vol_24, dist_sma_20, dist_ema_20, dist_sma_50, dist_sma_200, plus_di, minus_di, roc_10, keltner_width, donchian_width, volume_zscore_20,
    count(*) over w, count(*) filter (where is_simulated) over w
  from rows_in
  window w as (partition by symbol, timeframe, bucket order by timestamp rows between unbounded preceding and unbounded following)
  order by symbol, timeframe, bucket, timestamp desc
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

  insert into ml_features_ohlcv_1d as r (
    symbol, timeframe, bucket, open_price, high_price, low_price, close_price, volume, price_volume, vwap,
    atr, rsi, macd, macd_signal, macd_histogram, bollinger_upper, bollinger_middle, bollinger_lower, stoch_k, stoch_d, williams_r, cci, adx, obv, mfi, return_1, return_4, return_24, log_return_1, log_return_4, log_return_24, realized_vol_24, dist_sma_20, dist_ema_20, dist_sma_50, dist_sma_200, plus_di, minus_di, roc_10, keltner_width, donchian_width, volume_zscore_20,
    candle_count, simulated_count
  )
  with touched as (
    select distinct k.symbol, k.timeframe, date_trunc('day', k.bucket, 'UTC') as day
    from unnest(p_symbols, p_timeframes, p_buckets) as k(symbol, timeframe, bucket)
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

create function ff_ohlcv_rollup_trigger() returns trigger language plpgsql as $$
declare
  v_symbols text[];
  v_timeframes text[];
  v_buckets timestamptz[];
begin
  if ff_rollups_skipped() then
    return null;
  end if;
  if tg_op = 'INSERT' then
    select array_agg(symbol), array_agg(timeframe), array_agg(bucket) into v_symbols, v_timeframes, v_buckets
    from (select distinct symbol, timeframe, date_trunc('hour', timestamp, 'UTC') as bucket from new_rows) k;
  elsif tg_op = 'UPDATE' then
    select array_agg(symbol), array_agg(timeframe), array_agg(bucket) into v_symbols, v_timeframes, v_buckets
    from (
      select symbol, timeframe, date_trunc('hour', timestamp, 'UTC') as bucket from new_rows
      union
      select symbol, timeframe, date_trunc('hour', timestamp, 'UTC') from old_rows
    ) k;
  else
    select array_agg(symbol), array_agg(timeframe), array_agg(bucket) into v_symbols, v_timeframes, v_buckets
    from (select distinct symbol, timeframe, date_trunc('hour', timestamp, 'UTC') as bucket from old_rows) k;
  end if;
  if v_symbols is not null then
    perform ff_recompute_ohlcv_rollups(v_symbols, v_timeframes, v_buckets);
  end if;
  return null;
end
$$;

create trigger ml_features_ohlcv_rollup_insert after insert on ml_features_ohlcv
  referencing new table as new_rows for each statement execute function ff_ohlcv_rollup_trigger();
create trigger ml_features_ohlcv_rollup_update after update on ml_features_ohlcv
  referencing old table as old_rows new table as new_rows for each statement execute function ff_ohlcv_rollup_trigger();
create trigger ml_features_ohlcv_rollup_delete after delete on ml_features_ohlcv
  referencing old table as old_rows for each statement execute function ff_ohlcv_rollup_trigger();

-- Sentiment: the mean of each feature per bucket, straight from the raw rows for both bucket sizes.
create function ff_recompute_sentiment_rollups(p_symbols text[], p_hours timestamptz[])
returns void language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('ff_rollup_sentiment:' || s, 0))
  from (select distinct s from unnest(p_symbols) as k(s) order by 1) series;

  insert into ml_features_sentiment_1h as r (symbol, bucket, fear_greed_index, social_sentiment_score, news_sentiment_score, weighted_coin_sentiment, whale_sentiment_proxy, sentiment_divergence_score, multi_timeframe_sentiment, sentiment_momentum, sentiment_volatility, bullish_sentiment_ratio, bearish_sentiment_ratio, neutral_sentiment_ratio, sentiment_trend_strength, sample_count, simulated_count)
  select f.symbol, t.bucket, avg(f.fear_greed_index), avg(f.social_sentiment_score), avg(f.news_sentiment_score), avg(f.weighted_coin_sentiment), avg(f.whale_sentiment_proxy), avg(f.sentiment_divergence_score), avg(f.multi_timeframe_sentiment), avg(f.sentiment_momentum), avg(f.sentiment_volatility), avg(f.bullish_sentiment_ratio), avg(f.bearish_sentiment_ratio), avg(f.neutral_sentiment_ratio), avg(f.sentiment_trend_strength),
    count(*), count(*) filter (where f.is_simulated)
  from (
    select distinct k.symbol, date_trunc('hour', k.hour, 'UTC') as bucket
    from unnest(p_symbols, p_hours) as k(symbol, hour)
  ) t
  cross join lateral (
    select * from ml_features_sentiment f
    where f.symbol = t.symbol and f.timestamp >= t.bucket and f.timestamp < t.bucket + interval '1 hour'
    offset 0
  ) f
  group by f.symbol, t.bucket
  on conflict (symbol, bucket) do update set
      fear_greed_index = excluded.fear_greed_index,
      social_sentiment_score = excluded.social_sentiment_score,
      news_sentiment_score = excluded.news_sentiment_score,
      weighted_coin_sentiment = excluded.weighted_coin_sentiment,
      whale_sentiment_proxy = excluded.whale_sentiment_proxy,
      sentiment_divergence_score = excluded.sentiment_divergence_score,
      multi_timeframe_sentiment = excluded.multi_timeframe_sentiment,
      sentiment_momentum = excluded.sentiment_momentum,
      sentiment_volatility = excluded.sentiment_volatility,
      bullish_sentiment_ratio = excluded.bullish_sentiment_ratio,
      bearish_sentiment_ratio = excluded.bearish_sentiment_ratio,
      neutral_sentiment_ratio = excluded.neutral_sentiment_ratio,
      sentiment_trend_strength = excluded.sentiment_trend_strength,
      sample_count = excluded.sample_count,
      simulated_count = excluded.simulated_count;

  insert into ml_features_sentiment_1d as r (symbol, bucket, fear_greed_index, social_sentiment_score, news_sentiment_score, weighted_coin_sentiment, whale_sentiment_proxy, sentiment_divergence_score, multi_timeframe_sentiment, sentiment_momentum, sentiment_volatility, bullish_sentiment_ratio, bearish_sentiment_ratio, neutral_sentiment_ratio, sentiment_trend_strength, sample_count, simulated_count)
  select f.symbol, t.bucket, avg(f.fear_greed_index), avg(f.social_sentiment_score), avg(f.news_sentiment_score), avg(f.weighted_coin_sentiment), avg(f.whale_sentiment_proxy), avg(f.sentiment_divergence_score), avg(f.multi_timeframe_sentiment), avg(f.sentiment_momentum), avg(f.sentiment_volatility), avg(f.bullish_sentiment_ratio), avg(f.bearish_sentiment_ratio), avg(f.neutral_sentiment_ratio), avg(f.sentiment_trend_strength),
    count(*), count(*) filter (where f.is_simulated)
  from (
    select distinct k.symbol, date_trunc('day', k.hour, 'UTC') as bucket
    from unnest(p_symbols, p_hours) as k(symbol, hour)
  ) t
  cross join lateral (
    select * from ml_features_sentiment f
    where f.symbol = t.symbol and f.timestamp >= t.bucket and f.timestamp < t.bucket + interval '1 day'
    offset 0
  ) f
  group by f.symbol, t.bucket
  on conflict (symbol, bucket) do update set
      fear_greed_index = excluded.fear_greed_index,
      social_sentiment_score = excluded.social_sentiment_score,
      news_sentiment_score = excluded.news_sentiment_score,
      weighted_coin_sentiment = excluded.weighted_coin_sentiment,
      whale_sentiment_proxy = excluded.whale_sentiment_proxy,
      sentiment_divergence_score = excluded.sentiment_divergence_score,
      multi_timeframe_sentiment = excluded.multi_timeframe_sentiment,
      sentiment_momentum = excluded.sentiment_momentum,
      sentiment_volatility = excluded.sentiment_volatility,
      bullish_sentiment_ratio = excluded.bullish_sentiment_ratio,
      bearish_sentiment_ratio = excluded.bearish_sentiment_ratio,
      neutral_sentiment_ratio = excluded.neutral_sentiment_ratio,
      sentiment_trend_strength = excluded.sentiment_trend_strength,
      sample_count = excluded.sample_count,
      simulated_count = excluded.simulated_count;
end
$$;

create function ff_sentiment_rollup_trigger() returns trigger language plpgsql as $$
declare
  v_symbols text[];
  v_hours timestamptz[];
begin
  if ff_rollups_skipped() then
    return null;
  end if;
  if tg_op = 'INSERT' then
    select array_agg(symbol), array_agg(hour) into v_symbols, v_hours
    from (select distinct symbol, date_trunc('hour', timestamp, 'UTC') as hour from new_rows) k;
  elsif tg_op = 'UPDATE' then
    select array_agg(symbol), array_agg(hour) into v_symbols, v_hours
    from (
      select symbol, date_trunc('hour', timestamp, 'UTC') as hour from new_rows
      union
      select symbol, date_trunc('hour', timestamp, 'UTC') from old_rows
    ) k;
  else
    select array_agg(symbol), array_agg(hour) into v_symbols, v_hours
    from (select distinct symbol, date_trunc('hour', timestamp, 'UTC') as hour from old_rows) k;
  end if;
  if v_symbols is not null then
    perform ff_recompute_sentiment_rollups(v_symbols, v_hours);
  end if;
  return null;
end
$$;

create trigger ml_features_sentiment_rollup_insert after insert on ml_features_sentiment
  referencing new table as new_rows for each statement execute function ff_sentiment_rollup_trigger();
create trigger ml_features_sentiment_rollup_update after update on ml_features_sentiment
  referencing old table as old_rows new table as new_rows for each statement execute function ff_sentiment_rollup_trigger();
create trigger ml_features_sentiment_rollup_delete after delete on ml_features_sentiment
  referencing old table as old_rows for each statement execute function ff_sentiment_rollup_trigger();

-- Label counts per day. A (type, value) whose last label of the day moved to another value drops to 0
-- rows and is deleted, unless retention removed the raw rows (then the count is kept).
create function ff_recompute_label_counts(p_symbols text[], p_types text[], p_horizons text[], p_days timestamptz[])
returns void language plpgsql as $$
begin
  perform pg_advisory_xact_lock(hashtextextended('ff_rollup_labels:' || s, 0))
  from (select distinct s from unnest(p_symbols) as k(s) order by 1) series;

  delete from ml_labels_daily_counts c
  using (select distinct * from unnest(p_symbols, p_types, p_horizons, p_days) as k(symbol, label_type, horizon, day)) t
  where c.symbol = t.symbol and c.label_type = t.label_type and c.horizon = t.horizon and c.bucket = t.day
    and exists (
      select 1 from ml_labels l
      where l.symbol = t.symbol and l.label_type = t.label_type and l.horizon = t.horizon
        and l.timestamp >= t.day and l.timestamp < t.day + interval '1 day'
    );

  insert into ml_labels_daily_counts (symbol, label_type, horizon, label_value, bucket, label_count, avg_realized_return, avg_confidence, simulated_count)
  select l.symbol, l.label_type, l.horizon, l.label_value, t.day, count(*), avg(l.realized_return), avg(l.label_confidence),
    count(*) filter (where l.is_simulated)
  from (select distinct * from unnest(p_symbols, p_types, p_horizons, p_days) as k(symbol, label_type, horizon, day)) t
  cross join lateral (
    select * from ml_labels l
    where l.symbol = t.symbol and l.label_type = t.label_type and l.horizon = t.horizon
      and l.timestamp >= t.day and l.timestamp < t.day + interval '1 day'
    offset 0
  ) l
  group by l.symbol, l.label_type, l.horizon, l.label_value, t.day;
end
$$;

create function ff_label_counts_trigger() returns trigger language plpgsql as $$
declare
  v_symbols text[];
  v_types text[];
  v_horizons text[];
  v_days timestamptz[];
begin
  if ff_rollups_skipped() then
    return null;
  end if;
  if tg_op = 'INSERT' then
    select array_agg(symbol), array_agg(label_type), array_agg(horizon), array_agg(day) into v_symbols, v_types, v_horizons, v_days
    from (select distinct symbol, label_type, horizon, date_trunc('day', timestamp, 'UTC') as day from new_rows) k;
  elsif tg_op = 'UPDATE' then
    select array_agg(symbol), array_agg(label_type), array_agg(horizon), array_agg(day) into v_symbols, v_types, v_horizons, v_days
    from (
      select symbol, label_type, horizon, date_trunc('day', timestamp, 'UTC') as day from new_rows
      union
      select symbol, label_type, horizon, date_trunc('day', timestamp, 'UTC') from old_rows
    ) k;
  else
    select array_agg(symbol), array_agg(label_type), array_agg(horizon), array_agg(day) into v_symbols, v_types, v_horizons, v_days
    from (select distinct symbol, label_type, horizon, date_trunc('day', timestamp, 'UTC') as day from old_rows) k;
  end if;
  if v_symbols is not null then
    perform ff_recompute_label_counts(v_symbols, v_types, v_horizons, v_days);
  end if;
  return null;
end
$$;

create trigger ml_labels_counts_insert after insert on ml_labels
  referencing new table as new_rows for each statement execute function ff_label_counts_trigger();
create trigger ml_labels_counts_update after update on ml_labels
  referencing old table as old_rows new table as new_rows for each statement execute function ff_label_counts_trigger();
create trigger ml_labels_counts_delete after delete on ml_labels
  referencing old table as old_rows for each statement execute function ff_label_counts_trigger();
