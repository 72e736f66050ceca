-- TimescaleDB mode: hypertables, continuous aggregates with the read-model names that plain.sql
-- creates as tables, compression after a day, retention of raw rows after 90 days and of the
-- aggregates after 2 years. Every refresh window starts well inside the raw retention, so a
-- refresh can never erase aggregates of raw data that retention already dropped.
create extension if not exists timescaledb;

select create_hypertable('ml_features_ohlcv', 'timestamp', chunk_time_interval => interval '1 day');
select create_hypertable('ml_features_sentiment', 'timestamp', chunk_time_interval => interval '1 day');
select create_hypertable('ml_labels', 'timestamp', chunk_time_interval => interval '7 days');
select create_hypertable('ml_predictions', 'timestamp', chunk_time_interval => interval '7 days');
select create_hypertable('ml_models_metadata', 'trained_at', chunk_time_interval => interval '365 days');

-- Hourly OHLCV rollup. VWAP is the bucket's sum(typical price x volume) / sum(volume); indicators are
-- their last value in the bucket (an average of RSIs or MACDs means nothing).
create materialized view ml_features_ohlcv_1h
with (timescaledb.continuous, timescaledb.materialized_only = false) as
select
  symbol,
  timeframe,
  time_bucket(interval '1 hour', timestamp) as bucket,
  first(open_price, timestamp) as open_price,
  max(high_price) as high_price,
  min(low_price) as low_price,
  last(close_price, timestamp) as close_price,
  sum(volume) as volume,
  sum((high_price + low_price + close_price) / 3 * volume) as price_volume,
  sum((high_price + low_price + close_price) / 3 * volume) / nullif(sum(volume), 0) as vwap,
  last(atr, timestamp) as atr,
  last(rsi, timestamp) as rsi,
  last(macd, timestamp) as macd,
  last(macd_signal, timestamp) as macd_signal,
  last(macd_histogram, timestamp) as macd_histogram,
  last(bollinger_upper, timestamp) as bollinger_upper,
  last(bollinger_middle, timestamp) as bollinger_middle,
  last(bollinger_lower, timestamp) as bollinger_lower,
  last(stoch_k, timestamp) as stoch_k,
  last(stoch_d, timestamp) as stoch_d,
  last(williams_r, timestamp) as williams_r,
  last(cci, timestamp) as cci,
  last(adx, timestamp) as adx,
  last(obv, timestamp) as obv,
  last(mfi, timestamp) as mfi,
  last(return_1, timestamp) as return_1,
  last(return_4, timestamp) as return_4,
  last(return_24, timestamp) as return_24,
  last(log_return_1, timestamp) as log_return_1,
  last(log_return_4, timestamp) as log_return_4,
  last(log_return_24, timestamp) as log_return_24,
  last(realized_vol_24, timestamp) as realized_vol_24,
  last(dist_sma_20, timestamp) as dist_sma_20,
  last(dist_ema_20, timestamp) as dist_ema_20,
  last(dist_sma_50, timestamp) as dist_sma_50,
  last(dist_sma_200, timestamp) as dist_sma_200,
  last(plus_di, timestamp) as plus_di,
  last(minus_di, timestamp) as minus_di,
  last(roc_10, timestamp) as roc_10,
  last(keltner_width, timestamp) as keltner_width,
  last(donchian_width, timestamp) as donchian_width,
  last(volume_zscore_20, timestamp) as volume_zscore_20,
  count(*) as candle_count,
  sum(case when is_simulated then 1 else 0 end) as simulated_count
from ml_features_ohlcv
group by symbol, timeframe, bucket
with no data;

-- Daily rollup built on the hourly one: sums of sums, first of firsts, last of lasts.
create materialized view ml_features_ohlcv_1d
with (timescaledb.continuous, timescaledb.materialized_only = false) as
select
  symbol,
  timeframe,
  time_bucket(interval '1 day', bucket) as bucket,
  first(open_price, bucket) as open_price,
  max(high_price) as high_price,
  min(low_price) as low_price,
  last(close_price, bucket) as close_price,
  sum(volume) as volume,
  sum(price_volume) as price_volume,
  sum(price_volume) / nullif(sum(volume), 0) as vwap,
  last(atr, bucket) as atr,
  last(rsi, bucket) as rsi,
  last(macd, bucket) as macd,
  last(macd_signal, bucket) as macd_signal,
  last(macd_histogram, bucket) as macd_histogram,
  last(bollinger_upper, bucket) as bollinger_upper,
  last(bollinger_middle, bucket) as bollinger_middle,
  last(bollinger_lower, bucket) as bollinger_lower,
  last(stoch_k, bucket) as stoch_k,
  last(stoch_d, bucket) as stoch_d,
  last(williams_r, bucket) as williams_r,
  last(cci, bucket) as cci,
  last(adx, bucket) as adx,
  last(obv, bucket) as obv,
  last(mfi, bucket) as mfi,
  last(return_1, bucket) as return_1,
  last(return_4, bucket) as return_4,
  last(return_24, bucket) as return_24,
  last(log_return_1, bucket) as log_return_1,
  last(log_return_4, bucket) as log_return_4,
  last(log_return_24, bucket) as log_return_24,
  last(realized_vol_24, bucket) as realized_vol_24,
  last(dist_sma_20, bucket) as dist_sma_20,
  last(dist_ema_20, bucket) as dist_ema_20,
  last(dist_sma_50, bucket) as dist_sma_50,
  last(dist_sma_200, bucket) as dist_sma_200,
  last(plus_di, bucket) as plus_di,
  last(minus_di, bucket) as minus_di,
  last(roc_10, bucket) as roc_10,
  last(keltner_width, bucket) as keltner_width,
  last(donchian_width, bucket) as donchian_width,
  last(volume_zscore_20, bucket) as volume_zscore_20,
  sum(candle_count) as candle_count,
  sum(simulated_count) as simulated_count
from ml_features_ohlcv_1h
group by symbol, timeframe, time_bucket(interval '1 day', bucket)
with no data;

create materialized view ml_features_sentiment_1h
with (timescaledb.continuous, timescaledb.materialized_only = false) as
select
  symbol,
  time_bucket(interval '1 hour', timestamp) as bucket,
  avg(fear_greed_index) as fear_greed_index,
  avg(social_sentiment_score) as social_sentiment_score,
  avg(news_sentiment_score) as news_sentiment_score,
  avg(weighted_coin_sentiment) as weighted_coin_sentiment,
  avg(whale_sentiment_proxy) as whale_sentiment_proxy,
  avg(sentiment_divergence_score) as sentiment_divergence_score,
  avg(multi_timeframe_sentiment) as multi_timeframe_sentiment,
  avg(sentiment_momentum) as sentiment_momentum,
  avg(sentiment_volatility) as sentiment_volatility,
  avg(bullish_sentiment_ratio) as bullish_sentiment_ratio,
  avg(bearish_sentiment_ratio) as bearish_sentiment_ratio,
  avg(neutral_sentiment_ratio) as neutral_sentiment_ratio,
  avg(sentiment_trend_strength) as sentiment_trend_strength,
  count(*) as sample_count,
  sum(case when is_simulated then 1 else 0 end) as simulated_count
from ml_features_sentiment
group by symbol, bucket
with no data;

create materialized view ml_features_sentiment_1d
with (timescaledb.continuous, timescaledb.materialized_only = false) as
select
  symbol,
  time_bucket(interval '1 day', timestamp) as bucket,
  avg(fear_greed_index) as fear_greed_index,
  avg(social_sentiment_score) as social_sentiment_score,
  avg(news_sentiment_score) as news_sentiment_score,
  avg(weighted_coin_sentiment) as weighted_coin_sentiment,
  avg(whale_sentiment_proxy) as whale_sentiment_proxy,
  avg(sentiment_divergence_score) as sentiment_divergence_score,
  avg(multi_timeframe_sentiment) as multi_timeframe_sentiment,
  avg(sentiment_momentum) as sentiment_momentum,
  avg(sentiment_volatility) as sentiment_volatility,
  avg(bullish_sentiment_ratio) as bullish_sentiment_ratio,
  avg(bearish_sentiment_ratio) as bearish_sentiment_ratio,
  avg(neutral_sentiment_ratio) as neutral_sentiment_ratio,
  avg(sentiment_trend_strength) as sentiment_trend_strength,
  count(*) as sample_count,
  sum(case when is_simulated then 1 else 0 end) as simulated_count
from ml_features_sentiment
group by symbol, bucket
with no data;

create materialized view ml_labels_daily_counts
with (timescaledb.continuous, timescaledb.materialized_only = false) as
select
  symbol,
  label_type,
  horizon,
  label_value,
  time_bucket(interval '1 day', timestamp) as bucket,
  count(*) as label_count,
  avg(realized_return) as avg_realized_return,
  avg(label_confidence) as avg_confidence,
  sum(case when is_simulated then 1 else 0 end) as simulated_count
from ml_labels
group by symbol, label_type, horizon, label_value, bucket
with no data;

-- Refresh policies: windows end before the open bucket and start far inside the 90-day raw retention.
select add_continuous_aggregate_policy('ml_features_ohlcv_1h', start_offset => interval '3 days', end_offset => interval '1 hour', schedule_interval => interval '15 minutes');
select add_continuous_aggregate_policy('ml_features_ohlcv_1d', start_offset => interval '10 days', end_offset => interval '1 day', schedule_interval => interval '1 hour');
select add_continuous_aggregate_policy('ml_features_sentiment_1h', start_offset => interval '3 days', end_offset => interval '1 hour', schedule_interval => interval '15 minutes');
select add_continuous_aggregate_policy('ml_features_sentiment_1d', start_offset => interval '10 days', end_offset => interval '1 day', schedule_interval => interval '1 hour');
select add_continuous_aggregate_policy('ml_labels_daily_counts', start_offset => interval '10 days', end_offset => interval '1 hour', schedule_interval => interval '1 hour');

-- Compression after a day, one segment per series so a series' reads decompress only its own rows.
alter table ml_features_ohlcv set (timescaledb.compress, timescaledb.compress_segmentby = 'symbol, timeframe', timescaledb.compress_orderby = 'timestamp desc');
alter table ml_features_sentiment set (timescaledb.compress, timescaledb.compress_segmentby = 'symbol', timescaledb.compress_orderby = 'timestamp desc');
select add_compression_policy('ml_features_ohlcv', interval '1 day');
select add_compression_policy('ml_features_sentiment', interval '1 day');

-- Retention: raw rows after 90 days, aggregates after 2 years.
select add_retention_policy('ml_features_ohlcv', interval '90 days');
select add_retention_policy('ml_features_sentiment', interval '90 days');
select add_retention_policy('ml_labels', interval '90 days');
select add_retention_policy('ml_predictions', interval '90 days');
select add_retention_policy('ml_features_ohlcv_1h', interval '2 years');
select add_retention_policy('ml_features_ohlcv_1d', interval '2 years');
select add_retention_policy('ml_features_sentiment_1h', interval '2 years');
select add_retention_policy('ml_features_sentiment_1d', interval '2 years');
select add_retention_policy('ml_labels_daily_counts', interval '2 years');
