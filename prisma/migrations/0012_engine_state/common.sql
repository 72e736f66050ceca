-- Each series' feature-engine state after its newest stored candle, so the next batch continues
-- from it (one small read) instead of replaying 1,000 stored candles. Written in the transaction
-- that stores the candles; a write before last_timestamp deletes it. A checkpoint whose layout
-- differs from the running code's, or that no longer matches the stored candle at last_timestamp,
-- is ignored and the state rebuilt from history.
create table ml_engine_state (
  symbol text not null,
  timeframe text not null,
  feature_version text not null,
  -- Feature version and a fingerprint of the state's fields (lib/features/state.ts).
  layout text not null,
  last_timestamp timestamptz not null,
  -- The state as little-endian float8 values, in the layout's order.
  state bytea not null,
  updated_at timestamptz not null default now(),
  primary key (symbol, timeframe)
);
