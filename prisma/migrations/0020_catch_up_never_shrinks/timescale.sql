-- ff_catch_up_aggregates (migration 0006) refreshed from the oldest source row of all series. After
-- a tier deleted the old rows of one timeframe (1m after 90 days, say) while another kept them
-- (1h for ever), that window covered the deleted days, and the refresh rebuilt their buckets from
-- the rows left: the 1m hourly and daily aggregates of those days vanished ("never shrink" broken).
-- A refresh rebuilds every series in its window, so, as refreshOldRollups does for writes
-- (lib/ingest/store.ts), the job now starts after the last day whose aggregates outlive their rows:
-- the latest retention cut-off before which the aggregate still holds buckets of that cut-off's
-- timeframe (the 1h cut-off for sentiment; any cut-off for label counts, which carry no timeframe).
-- Series whose rows all lie before that day are no longer "behind" either, so the job does not
-- come back every five minutes for what it must not refresh.
create or replace function ff_aggregate_frozen_before(view_name text, mat regclass)
returns timestamptz
language plpgsql stable as $$
declare
  frozen timestamptz;
begin
  execute format($q$
    select max(c.cutoff) from retention_cutoffs c
    where %s and exists (select 1 from %s m where m.bucket < c.cutoff %s)$q$,
    case when view_name like 'ml_features_sentiment%' then $c$c.timeframe = '1h'$c$ else 'true' end,
    mat,
    case when view_name like 'ml_features_ohlcv%' then 'and m.timeframe = c.timeframe' else '' end)
  into frozen;
  return date_trunc('day', frozen, 'UTC') + interval '1 day';
end $$;

create or replace procedure ff_catch_up_aggregates(job_id int, config jsonb)
language plpgsql as $$
declare
  item record;
  mat regclass;
  source_oldest timestamptz;
  source_newest timestamptz;
  keep_from timestamptz;
  behind boolean;
  watermark timestamptz;
  upto timestamptz;
  step timestamptz;
begin
  for item in select value->>'view' as view, value->>'source' as source, value->>'time' as time_column,
                (value->>'lag')::interval as lag, value->>'series' as series
              from jsonb_array_elements(config->'aggregates') loop
    select format('%I.%I', a.materialization_hypertable_schema, a.materialization_hypertable_name)::regclass into mat
    from timescaledb_information.continuous_aggregates a where a.view_name = item.view;
    execute format('select min(%1$I), max(%1$I) from %2$s', item.time_column, item.source) into source_oldest, source_newest;
    continue when source_oldest is null;
    -- Source rows older than the aggregate's own retention are not to be materialized again, nor
    -- the days whose buckets outlive their rows.
    keep_from := greatest(
      now() - coalesce((select (j.config->>'drop_after')::interval from timescaledb_information.jobs j
        where j.proc_name = 'ff_retention' and j.config->>'relation' = item.view), interval '100 years'),
      ff_aggregate_frozen_before(item.view, mat));
    select _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(h.id)) into watermark
    from _timescaledb_catalog.hypertable h where format('%I.%I', h.schema_name, h.table_name)::regclass = mat;
    -- Behind: a series whose oldest row from keep_from on has no materialized bucket near it, or a
    -- watermark further behind the newest row than the refresh policy's window reaches.
    execute format($q$
      select exists (
        select 1 from (select %1$s, min(%2$I) as oldest from %3$s where %2$I >= $1 group by %1$s) s
        left join lateral (select min(m.bucket) as first from %4$s m where %5$s) m on true
        where m.first is null or m.first > s.oldest + interval '1 day')$q$,
      item.series, item.time_column, item.source, mat,
      (select string_agg(format('m.%1$I = s.%1$I', c), ' and ') from unnest(string_to_array(item.series, ', ')) c))
      into behind using keep_from;
    continue when not behind and watermark >= source_newest - item.lag;
    source_oldest := greatest(source_oldest, keep_from);
    continue when source_oldest > source_newest;
    execute format('alter materialized view %I set (timescaledb.materialized_only = true)', item.view);
    commit;
    upto := least(now() - interval '1 hour', source_newest + interval '1 day');
    step := date_trunc('day', source_oldest, 'UTC');
    while step < upto loop
      -- A window must hold one whole bucket ("refresh window too small"): when the last 30-day step
      -- starts less than a day before `upto` (on some days of the month, just after midnight), it
      -- starts a day earlier instead; refreshing that day again changes nothing.
      call refresh_continuous_aggregate(item.view::regclass,
        least(step, date_trunc('day', upto, 'UTC') - interval '1 day'), least(step + interval '30 days', upto));
      commit;
      step := step + interval '30 days';
    end loop;
    execute format('alter materialized view %I set (timescaledb.materialized_only = false)', item.view);
    commit;
  end loop;
end $$;
