-- The five ML tables, identical in every database mode. TimescaleDB specifics live in
-- timescale.sql; plain PostgreSQL's rollup tables and their maintenance live in plain.sql.

create table ml_features_ohlcv (
  timestamp timestamptz not null,
  symbol text not null,
  timeframe text not null,
  open_price double precision not null,
  high_price double precision not null,
  low_price double precision not null,
  close_price double precision not null,
  volume double precision not null,
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
  -- Room for more indicators: add nullable columns in a later migration and bump feature_version.
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
  source text not null,
  is_simulated boolean not null default false,
  feature_version text not null,
  computed_at timestamptz not null default now(),
  -- Key order serves the dominant read, one series newest first: (symbol, timeframe, timestamp DESC)
  -- is a backward scan of this index, so no second index is needed.
  primary key (symbol, timeframe, timestamp),
  constraint ml_features_ohlcv_timeframe_check check (timeframe ~ '^[1-9][0-9]*[mhdwM]$'),
  constraint ml_features_ohlcv_prices_check check (
    high_price >= greatest(open_price, close_price) and low_price <= least(open_price, close_price) and low_price >= 0
  ),
  constraint ml_features_ohlcv_volume_check check (volume >= 0),
  -- A simulated row can never pass itself off as real, and a real row never claims the simulator.
  constraint ml_features_ohlcv_provenance_check check (is_simulated = (source = 'simulated'))
);

create table ml_features_sentiment (
  timestamp timestamptz not null,
  symbol text not null,
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
  -- Which inputs came from a real source and which were simulated (e.g. {fear_greed,news}).
  real_inputs text[] not null default '{}',
  simulated_inputs text[] not null default '{}',
  is_simulated boolean not null default false,
  feature_version text not null,
  computed_at timestamptz not null default now(),
  primary key (symbol, timestamp),
  constraint ml_features_sentiment_provenance_check check (is_simulated = (cardinality(simulated_inputs) > 0)),
  constraint ml_features_sentiment_ratios_check check (
    bullish_sentiment_ratio is null or bearish_sentiment_ratio is null or neutral_sentiment_ratio is null
    or abs(bullish_sentiment_ratio + bearish_sentiment_ratio + neutral_sentiment_ratio - 1) < 1e-9
  )
);

create table ml_labels (
  timestamp timestamptz not null,
  symbol text not null,
  label_type text not null,
  horizon text not null,
  label_value text not null,
  label_confidence double precision,
  future_timestamp timestamptz not null,
  realized_return double precision,
  source text not null,
  is_simulated boolean not null default false,
  label_version text not null,
  computed_at timestamptz not null default now(),
  primary key (symbol, label_type, horizon, timestamp),
  -- A label is about what happened after t: its horizon ends strictly later.
  constraint ml_labels_future_check check (future_timestamp > timestamp),
  constraint ml_labels_confidence_check check (label_confidence is null or (label_confidence >= 0 and label_confidence <= 1)),
  constraint ml_labels_horizon_check check (horizon ~ '^[1-9][0-9]*[mhdw]$')
);

create table ml_models_metadata (
  model_id text not null,
  name text not null,
  version text not null,
  label_type text not null,
  feature_set jsonb not null default '[]',
  feature_version text,
  training_start timestamptz,
  training_end timestamptz,
  metrics jsonb not null default '{}',
  status text not null default 'training',
  trained_at timestamptz not null,
  -- trained_at is part of the key so the table can be a hypertable; one row per training of a model.
  primary key (model_id, trained_at),
  constraint ml_models_metadata_status_check check (status in ('training', 'ready', 'deployed', 'retired', 'failed')),
  constraint ml_models_metadata_window_check check (training_start is null or training_end is null or training_start < training_end)
);

create table ml_predictions (
  timestamp timestamptz not null,
  symbol text not null,
  model_id text not null,
  predicted_label text not null,
  confidence double precision,
  class_probabilities jsonb not null default '{}',
  created_at timestamptz not null default now(),
  primary key (symbol, model_id, timestamp),
  constraint ml_predictions_confidence_check check (confidence is null or (confidence >= 0 and confidence <= 1))
);
create index ml_predictions_model_idx on ml_predictions (model_id, timestamp desc);
