import 'server-only';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';
import { continuousAggregates, type ContinuousAggregate } from '@/lib/db/aggregate-watermarks';

export interface TimescaleJob {
  id: number;
  kind: string;
  target: string | null;
  schedule: string;
  lastStatus: string | null;
  lastSuccess: number | null;
  nextStart: number | null;
  runs: number;
  failures: number;
}

export interface HypertableChunks {
  hypertable: string;
  chunks: number;
  compressedChunks: number;
  /** Bytes before / after compression of the compressed chunks; null when nothing is compressed yet. */
  beforeBytes: number | null;
  afterBytes: number | null;
}

export interface TimescaleExtras {
  aggregates: ContinuousAggregate[];
  jobs: TimescaleJob[];
  hypertables: HypertableChunks[];
}

/** TimescaleDB's own view of the read models: aggregate watermarks, policy jobs, chunks and compression. */
export async function timescaleExtras(db: Sql): Promise<TimescaleExtras> {
  const [aggs, { rows: jobs }, { rows: hypertables }] = await Promise.all([
    continuousAggregates(db).then((r) => r.aggregates),
    db.query<TimescaleJob>(`
      select j.job_id as id, j.proc_name as kind, coalesce(j.hypertable_name, j.config->>'relation') as target, j.schedule_interval::text as schedule,
        s.last_run_status as "lastStatus", ${epochMs('s.last_successful_finish')} as "lastSuccess", ${epochMs('s.next_start')} as "nextStart",
        coalesce(s.total_runs, 0)::float8 as runs, coalesce(s.total_failures, 0)::float8 as failures
      from timescaledb_information.jobs j left join timescaledb_information.job_stats s on s.job_id = j.job_id
      where j.proc_schema <> '_timescaledb_internal' or j.proc_name like 'policy_%'
      order by j.proc_name, j.hypertable_name`),
    db.query<HypertableChunks>(`
      select h.hypertable_name as hypertable,
        (select count(*) from timescaledb_information.chunks c where c.hypertable_schema = h.hypertable_schema and c.hypertable_name = h.hypertable_name)::float8 as chunks,
        (select count(*) from timescaledb_information.chunks c where c.hypertable_schema = h.hypertable_schema and c.hypertable_name = h.hypertable_name and c.is_compressed)::float8 as "compressedChunks",
        cs.before::float8 as "beforeBytes", cs.after::float8 as "afterBytes"
      from timescaledb_information.hypertables h
      left join lateral (
        select sum(before_compression_total_bytes) as before, sum(after_compression_total_bytes) as after
        from hypertable_compression_stats(format('%I.%I', h.hypertable_schema, h.hypertable_name)::regclass)
      ) cs on h.compression_enabled
      where h.hypertable_schema = current_schema()
      order by h.hypertable_name`),
  ]);
  return { aggregates: aggs, jobs, hypertables };
}
