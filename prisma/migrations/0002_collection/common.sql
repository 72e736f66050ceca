-- Collection bookkeeping, identical in every database mode: what was rejected before storage, how
-- each attempt to reach a source ended, and which simulated candles real ones later replaced.

-- Rows a source sent that failed validation. Kept with the raw payload and the rule that rejected
-- them, so nothing a source sends is dropped silently. Receiving the same bad row again adds nothing.
create table ingest_quarantine (
  id bigserial primary key,
  kind text not null default 'candles',
  source text not null,
  symbol text not null,
  timeframe text,
  -- Null when the row carried no usable timestamp.
  timestamp timestamptz,
  payload jsonb not null,
  rule text not null,
  reason text not null,
  received_at timestamptz not null default now(),
  constraint ingest_quarantine_rule_check check (
    rule in ('required', 'finite', 'positive', 'high', 'low', 'volume', 'alignment', 'future', 'duplicate', 'jump')
  )
);
create unique index ingest_quarantine_row_key on ingest_quarantine
  (kind, source, symbol, timeframe, timestamp, rule, md5(payload::text)) nulls not distinct;
create index ingest_quarantine_recent_idx on ingest_quarantine (received_at desc);

-- One row per attempt to collect from a source. `real`: the source answered; `fallback`: it did
-- not, and simulated rows stood in; `failed`: nothing could be stored. run_id links a worker run.
-- rows_written counts rows of ml_features_ohlcv inserted or changed (simulated ones and features
-- recomputed after a replacement included); rows_simulated the simulated candles among them.
create table collection_attempts (
  id bigserial primary key,
  run_id text,
  source text not null,
  kind text not null default 'candles',
  symbol text not null,
  timeframe text,
  started_at timestamptz not null,
  finished_at timestamptz not null,
  outcome text not null,
  rows_written integer not null default 0,
  rows_simulated integer not null default 0,
  rows_quarantined integer not null default 0,
  error text,
  constraint collection_attempts_outcome_check check (outcome in ('real', 'fallback', 'failed')),
  constraint collection_attempts_counts_check check (rows_written >= 0 and rows_simulated >= 0 and rows_quarantined >= 0),
  constraint collection_attempts_time_check check (finished_at >= started_at),
  -- A fallback or a failure always says why.
  constraint collection_attempts_error_check check (outcome = 'real' or error is not null)
);
create index collection_attempts_source_idx on collection_attempts (source, started_at desc);
create index collection_attempts_series_idx on collection_attempts (symbol, timeframe, started_at desc);
create index collection_attempts_run_idx on collection_attempts (run_id) where run_id is not null;

-- A simulated candle that a real one replaced, with both closes so the simulator's error is visible.
create table simulated_replacements (
  symbol text not null,
  timeframe text not null,
  timestamp timestamptz not null,
  replaced_at timestamptz not null default now(),
  replaced_by text not null,
  simulated_close double precision not null,
  real_close double precision not null,
  primary key (symbol, timeframe, timestamp, replaced_at)
);
create index simulated_replacements_recent_idx on simulated_replacements (replaced_at desc);
