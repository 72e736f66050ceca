-- Chunks and compression sized for the data, measured on a real TimescaleDB 2.23 server with the
-- real Binance 1h candles and 90 days of 1m candles for four symbols (bench/timescale-layout.ts):
-- 1-day chunks made ~680 chunks for two years, 24-row compressed segments (bigger than the rows
-- they replaced) and slow planning; 30-day chunks give segments of 720 hourly candles per series and
-- a chunk count that stays small. New chunks use the new intervals at once; existing chunks are
-- merged into 30-day slots by ff_relayout_chunks (below), in bounded transactions, in the background.
select set_chunk_time_interval('ml_features_ohlcv', interval '30 days');
select set_chunk_time_interval('ml_features_sentiment', interval '30 days');
select set_chunk_time_interval('ml_labels', interval '30 days');
select set_chunk_time_interval('ml_predictions', interval '30 days');
-- The aggregates' own chunks: a row per series and hour (or day), kept two years.
select set_chunk_time_interval('ml_features_ohlcv_1h', interval '180 days');
select set_chunk_time_interval('ml_features_ohlcv_1d', interval '720 days');
select set_chunk_time_interval('ml_features_sentiment_1h', interval '180 days');
select set_chunk_time_interval('ml_features_sentiment_1d', interval '720 days');
select set_chunk_time_interval('ml_labels_daily_counts', interval '720 days');

-- One segment per series and chunk; oldest first inside a segment, the order candles arrive in.
alter table ml_features_ohlcv set (timescaledb.compress_segmentby = 'symbol, timeframe', timescaledb.compress_orderby = 'timestamp');
alter table ml_features_sentiment set (timescaledb.compress_segmentby = 'symbol', timescaledb.compress_orderby = 'timestamp');

-- Retention in bounded batches. The stock policy drops every due chunk in one transaction, which
-- runs out of lock slots (max_locks_per_transaction 64) once a few hundred compressed chunks are
-- due, and then fails for ever. This drops at most `batch_chunks` chunks older than `drop_after`
-- per transaction and commits between batches, so any backlog drains. `tiers` gives some values of
-- `tier_column` (a timeframe, a label's source series) their own horizon: their rows are deleted
-- from the chunks older than it, one chunk per transaction. Without either key nothing is deleted:
-- the horizons come from the product's configuration (lib/db/timescale-jobs.ts writes them).
create or replace procedure ff_retention(job_id int, config jsonb)
language plpgsql as $$
declare
  target regclass := (config->>'relation')::regclass;
  batch int := coalesce((config->>'batch_chunks')::int, 8);
  cutoff timestamptz := now() - (config->>'drop_after')::interval;
  edge timestamptz;
  tier record;
  chunk regclass;
begin
  -- Retention and relayout of one table never run at once (see ff_relayout_chunks).
  perform pg_advisory_lock(734221902, hashtext(target::text));
  while cutoff is not null loop
    select max(range_end) into edge from (
      select c.range_end from timescaledb_information.chunks c
      join show_chunks(target, older_than => cutoff) s on s = format('%I.%I', c.chunk_schema, c.chunk_name)::regclass
      order by c.range_end limit batch) oldest;
    exit when edge is null;
    perform drop_chunks(target, older_than => edge);
    commit;
  end loop;
  for tier in select key as value, (now() - value::interval) as before from jsonb_each_text(coalesce(config->'tiers', '{}')) loop
    for chunk in select s from show_chunks(target, older_than => tier.before) s loop
      execute format('delete from %s where %I = $1', chunk, config->>'tier_column') using tier.value;
      commit;
    end loop;
  end loop;
  perform pg_advisory_unlock(734221902, hashtext(target::text));
end $$;

-- Moves chunks made under an older, shorter interval into the current one: every run of chunks
-- that falls inside one slot of the current interval is merged (one slot per transaction), and a
-- merged chunk that was compressed is compressed again so its segments are whole. Rows are never
-- copied out of the table: merging keeps them, and the aggregates are not invalidated.
create or replace procedure ff_relayout_chunks(job_id int, config jsonb)
language plpgsql as $$
declare
  target regclass;
  slot record;
  merged regclass;
begin
  for target in select value::regclass from jsonb_array_elements_text(config->'relations') loop
    perform pg_advisory_lock(734221902, hashtext(target::text));
    for slot in
      select array_agg(format('%I.%I', c.chunk_schema, c.chunk_name)::regclass order by c.range_start) as chunks,
        bool_or(c.is_compressed) as compressed
      from timescaledb_information.chunks c
      join timescaledb_information.dimensions d on d.hypertable_schema = c.hypertable_schema and d.hypertable_name = c.hypertable_name
      where format('%I.%I', c.hypertable_schema, c.hypertable_name)::regclass = target
      group by floor(extract(epoch from c.range_start) / extract(epoch from d.time_interval))
      having count(*) > 1
    loop
      if slot.compressed then
        perform decompress_chunk(c, if_compressed => true) from unnest(slot.chunks) c;
      end if;
      call merge_chunks(slot.chunks);
      merged := slot.chunks[1];
      commit;
      if slot.compressed then
        perform compress_chunk(merged, if_not_compressed => true);
        commit;
      end if;
    end loop;
    perform pg_advisory_unlock(734221902, hashtext(target::text));
  end loop;
end $$;

-- The stock retention policies (fixed horizons whatever the timeframe) give way to ff_retention,
-- which deletes nothing until the configured tiers are written into it.
select remove_retention_policy(r, if_exists => true) from unnest(array[
  'ml_features_ohlcv', 'ml_features_sentiment', 'ml_labels', 'ml_predictions', 'ml_features_ohlcv_1h',
  'ml_features_ohlcv_1d', 'ml_features_sentiment_1h', 'ml_features_sentiment_1d', 'ml_labels_daily_counts']) r;

-- Every job on its own minute, so compression, retention and refresh never run at once and never
-- all fall due together after a migration (fixed schedules from a Monday at 00:00 UTC + offset):
--   refresh   ohlcv_1h :02 and every 15 min, sentiment_1h :07 …, ohlcv_1d :12 hourly,
--             sentiment_1d :27, labels :42;
--   compress  ohlcv 01:05, sentiment 01:35 daily;
--   retention raw tables 03:05–03:50, aggregates 04:05–04:45 daily;
--   relayout  05:05 daily, and once two minutes after this migration.
create or replace function pg_temp.ff_schedule(job int, every interval, offset_by interval)
returns void language sql as $$
  select null::void from alter_job(job, schedule_interval => every, fixed_schedule => true,
    initial_start => timestamptz '2000-01-03 00:00:00+00' + offset_by,
    next_start => timestamptz '2000-01-03 00:00:00+00' + offset_by
      + ceil(extract(epoch from now() - (timestamptz '2000-01-03 00:00:00+00' + offset_by)) / extract(epoch from every)) * every)
$$;

select pg_temp.ff_schedule(j.job_id, s.every, s.offset_by)
from (values
  ('ml_features_ohlcv_1h', interval '15 minutes', interval '2 minutes'),
  ('ml_features_sentiment_1h', interval '15 minutes', interval '7 minutes'),
  ('ml_features_ohlcv_1d', interval '1 hour', interval '12 minutes'),
  ('ml_features_sentiment_1d', interval '1 hour', interval '27 minutes'),
  ('ml_labels_daily_counts', interval '1 hour', interval '42 minutes')) as s(view_name, every, offset_by)
join timescaledb_information.continuous_aggregates a on a.view_name = s.view_name
join timescaledb_information.jobs j on j.proc_name = 'policy_refresh_continuous_aggregate'
  and j.hypertable_name in (a.view_name, a.materialization_hypertable_name);

select pg_temp.ff_schedule(j.job_id, interval '1 day', s.offset_by)
from (values ('ml_features_ohlcv', interval '65 minutes'), ('ml_features_sentiment', interval '95 minutes')) as s(hypertable, offset_by)
join timescaledb_information.jobs j on j.proc_name = 'policy_compression' and j.hypertable_name = s.hypertable;

select pg_temp.ff_schedule(add_job('ff_retention', interval '1 day', config => jsonb_build_object('relation', relation, 'batch_chunks', 8)), interval '1 day', offset_by)
from (values
  ('ml_features_ohlcv', interval '185 minutes'),
  ('ml_features_sentiment', interval '200 minutes'),
  ('ml_labels', interval '215 minutes'),
  ('ml_predictions', interval '230 minutes'),
  ('ml_features_ohlcv_1h', interval '245 minutes'),
  ('ml_features_ohlcv_1d', interval '255 minutes'),
  ('ml_features_sentiment_1h', interval '265 minutes'),
  ('ml_features_sentiment_1d', interval '275 minutes'),
  ('ml_labels_daily_counts', interval '285 minutes')) as r(relation, offset_by);

select add_job('ff_relayout_chunks', interval '1 day', config => '{"relations": ["ml_features_ohlcv", "ml_features_sentiment", "ml_labels", "ml_predictions"]}',
  initial_start => timestamptz '2000-01-03 05:05:00+00', fixed_schedule => true);
select alter_job(job_id, next_start => now() + interval '2 minutes') from timescaledb_information.jobs where proc_name = 'ff_relayout_chunks';

-- Aggregates that fall behind their rows (rows restored or bulk-written without a refresh, a
-- database migrated before its aggregates were materialized) would make every real-time read
-- aggregate all those rows again, on every request. ff_catch_up_aggregates, every few minutes,
-- finds an aggregate whose materialization does not reach back to its oldest source row, or lags
-- its newest one by more than its policy's window; it then serves the aggregate materialized-only
-- (reads stay bounded and show what is materialized), refreshes it oldest first a month per
-- transaction, and turns real-time aggregation back on once it has caught up. Hourly aggregates
-- are listed before the daily ones built on them.
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
    -- Source rows older than the aggregate's own retention are not to be materialized again.
    keep_from := now() - coalesce((select (j.config->>'drop_after')::interval from timescaledb_information.jobs j
      where j.proc_name = 'ff_retention' and j.config->>'relation' = item.view), interval '100 years');
    select _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(h.id)) into watermark
    from _timescaledb_catalog.hypertable h where format('%I.%I', h.schema_name, h.table_name)::regclass = mat;
    -- Behind: a series whose oldest kept row has no materialized bucket near it, or a watermark
    -- further behind the newest row than the refresh policy's window reaches.
    execute format($q$
      select exists (
        select 1 from (select %1$s, min(%2$I) as oldest from %3$s group by %1$s) s
        left join lateral (select min(m.bucket) as first from %4$s m where %5$s) m on true
        where m.first is null or m.first > greatest(s.oldest, $1) + interval '1 day')$q$,
      item.series, item.time_column, item.source, mat,
      (select string_agg(format('m.%1$I = s.%1$I', c), ' and ') from unnest(string_to_array(item.series, ', ')) c))
      into behind using keep_from;
    continue when not behind and watermark >= source_newest - item.lag;
    source_oldest := greatest(source_oldest, keep_from);
    execute format('alter materialized view %I set (timescaledb.materialized_only = true)', item.view);
    commit;
    upto := least(now() - interval '1 hour', source_newest + interval '1 day');
    step := date_trunc('day', source_oldest);
    while step < upto loop
      call refresh_continuous_aggregate(item.view::regclass, step, least(step + interval '30 days', upto));
      commit;
      step := step + interval '30 days';
    end loop;
    execute format('alter materialized view %I set (timescaledb.materialized_only = false)', item.view);
    commit;
  end loop;
end $$;

select add_job('ff_catch_up_aggregates', interval '5 minutes', config => '{"aggregates": [
    {"view": "ml_features_ohlcv_1h", "source": "ml_features_ohlcv", "time": "timestamp", "series": "symbol, timeframe", "lag": "3 days"},
    {"view": "ml_features_sentiment_1h", "source": "ml_features_sentiment", "time": "timestamp", "series": "symbol", "lag": "3 days"},
    {"view": "ml_labels_daily_counts", "source": "ml_labels", "time": "timestamp", "series": "symbol, label_type, horizon", "lag": "10 days"},
    {"view": "ml_features_ohlcv_1d", "source": "ml_features_ohlcv_1h", "time": "bucket", "series": "symbol, timeframe", "lag": "10 days"},
    {"view": "ml_features_sentiment_1d", "source": "ml_features_sentiment_1h", "time": "bucket", "series": "symbol", "lag": "10 days"}]}',
  initial_start => timestamptz '2000-01-03 00:04:00+00', fixed_schedule => true);
