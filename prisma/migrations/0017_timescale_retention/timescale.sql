-- ff_retention now applies the configured tiers in TimescaleDB mode (the worker no longer deletes
-- from hypertables there), so it records what it is about to delete in retention_cutoffs, as the
-- worker's deletes did: from then on no write or refresh rebuilds the aggregates of those days from
-- fewer rows (lib/ingest/upsert.ts, lib/ingest/store.ts). With `record_cutoffs`, `tiers` names
-- every expiring value of `tier_column` (candle timeframes), the longest included: whole chunks go
-- at `drop_after` first, then each tier's rows from the chunks older than its own horizon.
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
  if coalesce((config->>'record_cutoffs')::boolean, false) then
    insert into retention_cutoffs (timeframe, cutoff)
    select key, now() - value::interval from jsonb_each_text(coalesce(config->'tiers', '{}'))
    on conflict (timeframe) do update set cutoff = greatest(retention_cutoffs.cutoff, excluded.cutoff), applied_at = now();
    commit;
  end if;
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

-- No JIT compilation in this database. Reads over many chunks (a real-time aggregate's union, a
-- year of compressed chunks) cross jit_above_cost and PostgreSQL then compiles every chunk's
-- expressions: measured on the real server, a one-year 1m chart took 8.2–10.6 s with JIT and
-- 1.0 s without, /api/quality 1,246 → 761 ms before the aggregates were materialized. Needs the
-- database's owner; elsewhere it warns and leaves the setting alone. New connections see it.
do $$
begin
  execute format('alter database %I set jit = off', current_database());
exception when insufficient_privilege then
  raise warning 'could not turn JIT off for database % (not its owner): reads over many chunks will be slower', current_database();
end $$;
