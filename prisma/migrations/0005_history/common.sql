-- History you can train on (issue #10).

-- Each label records the specification that produced it (validated configuration, exportable by
-- name) and, for sector_rotation, the basket of symbols it compared.
alter table ml_labels add column spec_name text;
alter table ml_labels add column threshold_k double precision;
alter table ml_labels add column basket text[];

-- How many candles in a row, ending at this one, the series has without a gap: a window of w
-- candles is gap-free exactly when candles_since_gap >= w. Null for rows stored before this column.
alter table ml_features_ohlcv add column candles_since_gap integer;

-- The worker labels everything behind a per-series watermark, however long it was down: the
-- newest label time whose every horizon had passed when it last ran.
create table label_watermarks (
  symbol text not null,
  timeframe text not null,
  labelled_through timestamptz not null,
  updated_at timestamptz not null default now(),
  primary key (symbol, timeframe)
);

-- Where retention last cut each timeframe's raw candles: aggregate buckets before it summarise rows
-- that are gone, so a later write there must not rebuild them from what is left (plain mode's
-- triggers skip them; TimescaleDB's explicit refreshes start after them).
create table retention_cutoffs (
  timeframe text primary key,
  cutoff timestamptz not null,
  applied_at timestamptz not null default now()
);
