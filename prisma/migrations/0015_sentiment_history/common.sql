-- Sentiment history and aggregates that follow their rows (issue #10, items 4–6).

-- Each sentiment row keeps its own hour's sentiment level L(H, H + 1h] over the real documents
-- stored when it was written, and the level's weight Σ(1 + mentions), so momentum, volatility and
-- trend strength of later hours are computed from stored hourly levels (lib/sentiment/features.ts):
-- the same after a restart, after the documents' own retention, and with one new reading.
-- Null when the hour had no documents, and for rows written before this migration.
alter table ml_features_sentiment add column sentiment_level double precision;
alter table ml_features_sentiment add column sentiment_level_weight double precision;
alter table ml_features_sentiment add constraint ml_features_sentiment_level_check check (
  (sentiment_level is null) = (sentiment_level_weight is null)
  and (sentiment_level is null or (sentiment_level between -1 and 1 and sentiment_level_weight > 0))
);

-- The gaps a collection or backfill run saw in the candles it received (count, missing, largest,
-- first), shown in the admin runs list. Null for other kinds of run.
alter table collection_runs add column gaps jsonb;
