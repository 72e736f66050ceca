-- The model registry and live predictions (issue #14). ml_models_metadata keeps one row per registered
-- model version (model_id = name@version); rows written before this migration are kept, their old
-- statuses mapped onto the registry's three (plus failed).
alter table ml_models_metadata drop constraint ml_models_metadata_status_check;
update ml_models_metadata
   set status = case status when 'deployed' then 'active' when 'retired' then 'retired' when 'failed' then 'failed' else 'candidate' end;
alter table ml_models_metadata alter column status set default 'candidate';
alter table ml_models_metadata
  add column kind text not null default 'onnx',
  add column timeframe text not null default '1h',
  -- The symbols the model scores; empty: every tracked symbol.
  add column symbols jsonb not null default '[]',
  add column label_horizon text,
  add column label_threshold double precision,
  add column class_names jsonb not null default '[]',
  -- The ONNX file's sha256 (its bytes are in ml_model_files) or the baseline's fitted parameters.
  add column file_checksum text,
  add column parameters jsonb,
  add column input_name text,
  add column probability_output text,
  -- Walk-forward folds with the model's and the majority baseline's metrics on the same rows.
  add column evaluation jsonb,
  add column registered_by text not null default 'unknown',
  add column registered_at timestamptz not null default now(),
  add column activated_at timestamptz,
  add column retired_at timestamptz,
  add constraint ml_models_metadata_status_check check (status in ('candidate', 'active', 'retired', 'failed')),
  add constraint ml_models_metadata_kind_check check (kind in ('onnx', 'majority', 'logistic_regression')),
  add constraint ml_models_metadata_artifact_check check (
    (kind = 'onnx' and file_checksum is not null) or (kind <> 'onnx' and parameters is not null) or status = 'failed'
  );

-- ONNX files by content: a worker on another machine loads the model from the database it scores into.
create table ml_model_files (
  checksum text primary key,
  bytes bytea not null,
  size_bytes integer not null,
  created_at timestamptz not null default now(),
  constraint ml_model_files_size_check check (size_bytes = octet_length(bytes))
);

-- A prediction belongs to one candle of one series and one model version (model_id); it records
-- whether any input of that candle was simulated so a real candle arriving later replaces it.
alter table ml_predictions
  add column timeframe text not null default '1h',
  add column is_simulated boolean not null default false;
