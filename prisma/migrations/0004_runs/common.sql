-- Collection runs: what the admin page and the schedule asked for, and how it went. The durable
-- queue (pg-boss, in its own schema `pgboss`) executes them; this table is the run list people read,
-- and collection_attempts (run_id) holds each run's per-source outcomes.
create table collection_runs (
  id uuid primary key,
  kind text not null,
  symbol text,
  timeframe text,
  params jsonb not null default '{}',
  requested_by text not null,
  status text not null default 'queued',
  job_id text,
  attempts integer not null default 0,
  worker text,
  progress double precision,
  rows_written integer not null default 0,
  rows_simulated integer not null default 0,
  rows_quarantined integer not null default 0,
  error text,
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  constraint collection_runs_kind_check check (kind in ('candles', 'backfill', 'sentiment', 'labels', 'retention')),
  constraint collection_runs_status_check check (status in ('queued', 'running', 'retrying', 'succeeded', 'failed', 'cancelled')),
  constraint collection_runs_progress_check check (progress is null or (progress >= 0 and progress <= 1)),
  constraint collection_runs_requested_by_check check (requested_by in ('admin', 'schedule', 'cli'))
);
create index collection_runs_recent_idx on collection_runs (created_at desc);
create index collection_runs_open_idx on collection_runs (status) where status in ('queued', 'running', 'retrying');
