export { collectSentiment, MARKET_WIDE_SYMBOL, SentimentCollectionError, type CollectSentimentRequest, type CollectSentimentResult, type SentimentCollectorDeps, type SourceReport } from './collect';
export { backfillFearGreed, backfillSentimentRows, type BackfillDeps, type SentimentBackfillRequest } from './backfill';
export { DEFAULT_NEWS_FEEDS, DEFAULT_SUBREDDITS, parseSentimentConfig, SentimentConfigError, type NewsFeed, type SentimentSourceConfig } from './config';
export { sourceBreakers, type BreakerFor } from './fetch-sources';
export {
  computeSentimentFeatures,
  SENTIMENT_FEATURE_COLUMNS,
  SENTIMENT_FEATURE_VERSION,
  type SentimentFeatureColumn,
  type SentimentFeatures,
} from './features';
export { scoreText, SENTIMENT_MODEL } from './score';
