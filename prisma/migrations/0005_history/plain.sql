-- The OHLCV rollup trigger of 0001, minus the buckets whose day lies before the timeframe's
-- retention cut-off: those aggregates outlive raw rows retention dropped, and recomputing them from
-- the rows left (an import of one old candle) would shrink a day of 24 candles to 1.
create or replace function ff_ohlcv_rollup_trigger() returns trigger language plpgsql as $$
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
  if v_symbols is not null and exists (select 1 from retention_cutoffs) then
    select array_agg(k.symbol), array_agg(k.timeframe), array_agg(k.bucket) into v_symbols, v_timeframes, v_buckets
    from unnest(v_symbols, v_timeframes, v_buckets) as k(symbol, timeframe, bucket)
    where not exists (
      select 1 from retention_cutoffs c where c.timeframe = k.timeframe and date_trunc('day', k.bucket, 'UTC') < c.cutoff
    );
  end if;
  if v_symbols is not null then
    perform ff_recompute_ohlcv_rollups(v_symbols, v_timeframes, v_buckets);
  end if;
  return null;
end
$$;
