-- Writing labels or sentiment for a past period rebuilds exactly the buckets it touched (the
-- statement triggers of 0001), except buckets whose raw rows retention dropped: those aggregates
-- outlive the rows (as the candle rollups do since 0005), and rebuilding them from the rows left
-- would shrink a day of 24 hourly rows to 1. Each rebuild keeps its body under a new name and the
-- old name becomes the filter in front of it, so the triggers stay as they are.

-- Sentiment rows follow the 1h tier: buckets on days before the 1h cut-off are kept as they are.
alter function ff_recompute_sentiment_rollups(text[], timestamptz[]) rename to ff_rebuild_sentiment_buckets;
create function ff_recompute_sentiment_rollups(p_symbols text[], p_hours timestamptz[])
returns void language plpgsql as $$
declare
  v_symbols text[];
  v_hours timestamptz[];
begin
  select array_agg(k.symbol), array_agg(k.hour) into v_symbols, v_hours
  from unnest(p_symbols, p_hours) as k(symbol, hour)
  where not exists (select 1 from retention_cutoffs c where c.timeframe = '1h' and date_trunc('day', k.hour, 'UTC') < c.cutoff);
  if v_symbols is not null then
    perform ff_rebuild_sentiment_buckets(v_symbols, v_hours);
  end if;
end
$$;

-- A label lives as long as the candles of its timeframe (ml_labels.source = 'ohlcv:<timeframe>').
-- Daily counts carry no timeframe, so a count bucket is kept as it is when its day lies before the
-- cut-off of any timeframe whose labels of that (symbol, type, horizon) are stored.
alter function ff_recompute_label_counts(text[], text[], text[], timestamptz[]) rename to ff_rebuild_label_counts;
create function ff_recompute_label_counts(p_symbols text[], p_types text[], p_horizons text[], p_days timestamptz[])
returns void language plpgsql as $$
declare
  v_symbols text[];
  v_types text[];
  v_horizons text[];
  v_days timestamptz[];
begin
  with touched as (
    select distinct * from unnest(p_symbols, p_types, p_horizons, p_days) as k(symbol, label_type, horizon, day)
  ), frozen as (
    select s.symbol, s.label_type, s.horizon, max(c.cutoff) as before
    from (select distinct symbol, label_type, horizon from touched) s
    join retention_cutoffs c on exists (
      select 1 from ml_labels l
      where l.symbol = s.symbol and l.label_type = s.label_type and l.horizon = s.horizon and l.source = 'ohlcv:' || c.timeframe
    )
    group by s.symbol, s.label_type, s.horizon
  )
  select array_agg(t.symbol), array_agg(t.label_type), array_agg(t.horizon), array_agg(t.day) into v_symbols, v_types, v_horizons, v_days
  from touched t
  left join frozen f on f.symbol = t.symbol and f.label_type = t.label_type and f.horizon = t.horizon
  where f.before is null or t.day >= f.before;
  if v_symbols is not null then
    perform ff_rebuild_label_counts(v_symbols, v_types, v_horizons, v_days);
  end if;
end
$$;
