-- Retention follows the configured tiers (RETENTION_RAW, RETENTION_AGGREGATES), per timeframe,
-- applied by the retention job (lib/db/retention.ts). The fixed policies of 0001 (raw rows 90
-- days, aggregates 2 years, whatever the timeframe) deleted years of 1h history within a second
-- of an import: they go.
select remove_retention_policy('ml_features_ohlcv', if_exists => true);
select remove_retention_policy('ml_features_sentiment', if_exists => true);
select remove_retention_policy('ml_labels', if_exists => true);
select remove_retention_policy('ml_predictions', if_exists => true);
select remove_retention_policy('ml_features_ohlcv_1h', if_exists => true);
select remove_retention_policy('ml_features_ohlcv_1d', if_exists => true);
select remove_retention_policy('ml_features_sentiment_1h', if_exists => true);
select remove_retention_policy('ml_features_sentiment_1d', if_exists => true);
select remove_retention_policy('ml_labels_daily_counts', if_exists => true);
