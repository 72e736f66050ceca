import { describe, expect, it } from 'vitest';
import { retentionJobConfigs } from '@/lib/db/timescale-jobs';

const byRelation = (tiers: Parameters<typeof retentionJobConfigs>[0]) => new Map(retentionJobConfigs(tiers).map((c) => [c.relation, c]));

/** The per-timeframe tiers as TimescaleDB's retention jobs see them. */
describe('ff_retention job configs from retention tiers', () => {
  it('keeps chunks whole while a timeframe is kept for ever, deleting only the expiring timeframes', () => {
    const jobs = byRelation({ raw: { '1m': 90, '5m': 30, '1h': null }, aggregates: { '1m': 730, '5m': 730, '1h': null } });
    expect(jobs.get('ml_features_ohlcv')).toEqual({
      relation: 'ml_features_ohlcv', batch_chunks: 8, tier_column: 'timeframe', tiers: { '1m': '90 days', '5m': '30 days' }, record_cutoffs: true,
    });
    expect(jobs.get('ml_labels')).toMatchObject({ tier_column: 'source', tiers: { 'ohlcv:1m': '90 days', 'ohlcv:5m': '30 days' } });
    expect(jobs.get('ml_labels')).not.toHaveProperty('drop_after');
    // Hourly sentiment and predictions follow the 1h tier: kept.
    expect(jobs.get('ml_features_sentiment')).toEqual({ relation: 'ml_features_sentiment', batch_chunks: 8 });
    expect(jobs.get('ml_features_sentiment_1d')).toEqual({ relation: 'ml_features_sentiment_1d', batch_chunks: 8 });
  });

  it('drops whole chunks at the longest horizon once every timeframe expires, each timeframe a tier of its own', () => {
    const jobs = byRelation({ raw: { '1m': 30, '1h': 730 }, aggregates: { '1m': 1095, '1h': 1095 } });
    // Every tier named, the longest too: the job records each timeframe's cut-off before deleting.
    expect(jobs.get('ml_features_ohlcv')).toEqual({
      relation: 'ml_features_ohlcv', batch_chunks: 8, drop_after: '730 days', tier_column: 'timeframe', tiers: { '1m': '30 days', '1h': '730 days' }, record_cutoffs: true,
    });
    expect(jobs.get('ml_features_ohlcv_1h')).toEqual({
      relation: 'ml_features_ohlcv_1h', batch_chunks: 8, drop_after: '1095 days', tier_column: 'timeframe', tiers: { '1m': '1095 days', '1h': '1095 days' },
    });
    expect(jobs.get('ml_features_sentiment')).toMatchObject({ drop_after: '730 days' });
    expect(jobs.get('ml_predictions')).toMatchObject({ drop_after: '730 days' });
    expect([...jobs.keys()].sort()).toEqual([
      'ml_features_ohlcv', 'ml_features_ohlcv_1d', 'ml_features_ohlcv_1h', 'ml_features_sentiment', 'ml_features_sentiment_1d',
      'ml_features_sentiment_1h', 'ml_labels', 'ml_labels_daily_counts', 'ml_predictions',
    ]);
  });
});
