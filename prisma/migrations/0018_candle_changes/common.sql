-- Every statement that writes candles tells listeners at commit (lib/db/change-feed.ts): the web
-- server's chart responses (GET /api/indicators) are cached until then. Statement-level, with an
-- empty payload, so a batch of any size costs one notification (PostgreSQL folds identical ones
-- within a transaction); it fires for COPY and on TimescaleDB hypertables too.
create function ff_notify_candles_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('ff_candles_changed', '');
  return null;
end $$;

create trigger ml_features_ohlcv_changed
  after insert or update or delete or truncate on ml_features_ohlcv
  for each statement execute function ff_notify_candles_changed();
