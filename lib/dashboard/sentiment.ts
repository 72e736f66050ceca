import 'server-only';
import { RANGES, type RangeKey } from '@/lib/market/range';
import { HOUR_MS } from '@/lib/market/time';
import { pointsFor } from './buckets';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';
import { toIso } from '@/lib/market/time';

export const SENTIMENT_COLUMNS = [
  'fear_greed_index', 'social_sentiment_score', 'news_sentiment_score', 'weighted_coin_sentiment', 'whale_sentiment_proxy',
  'sentiment_divergence_score', 'multi_timeframe_sentiment', 'sentiment_momentum', 'sentiment_volatility',
  'bullish_sentiment_ratio', 'bearish_sentiment_ratio', 'neutral_sentiment_ratio', 'sentiment_trend_strength',
] as const;
export type SentimentColumn = (typeof SENTIMENT_COLUMNS)[number];

export type SentimentPoint = { t: number; samples: number; simulated: number } & Record<SentimentColumn, number | null>;

export interface InputProvenance {
  input: string;
  real: number;
  simulated: number;
}

export interface SentimentHistory {
  symbol: string;
  range: RangeKey;
  from: number | null;
  to: number | null;
  bucket: '1h' | '1d';
  points: SentimentPoint[];
  /** Per input (fear_greed, news, social, …): rows in the window where it was real or simulated. */
  inputs: InputProvenance[];
  /** Symbols with any sentiment, for the picker. */
  symbols: string[];
}

/** Hourly means while a range fits a chart's budget (a month: 721 points), daily means beyond. */
export function sentimentBucket(rangeMs: number, maxPoints = 1_000): '1h' | '1d' {
  return pointsFor(rangeMs, HOUR_MS) <= maxPoints ? '1h' : '1d';
}

export async function getSentimentHistory(db: Sql, request: { symbol: string; range: RangeKey; end?: number }): Promise<SentimentHistory> {
  const rangeMs = RANGES[request.range];
  const bucket = sentimentBucket(rangeMs);
  const table = bucket === '1h' ? 'ml_features_sentiment_1h' : 'ml_features_sentiment_1d';
  const [{ rows: symbolRows }, { rows: newestRows }] = await Promise.all([
    db.query<{ symbol: string }>('select distinct symbol from ml_features_sentiment_1d order by symbol'),
    db.query<{ newest: number | null }>(`select ${epochMs('max(bucket)')} as newest from ml_features_sentiment_1h where symbol = $1`, [request.symbol]),
  ]);
  const to = request.end ?? newestRows[0]?.newest ?? null;
  const symbols = symbolRows.map((r) => r.symbol);
  if (to === null) return { symbol: request.symbol, range: request.range, from: null, to: null, bucket, points: [], inputs: [], symbols };
  const from = to - rangeMs;
  const window = [request.symbol, toIso(from), toIso(to)];
  const [{ rows: points }, { rows: inputs }] = await Promise.all([
    db.query<SentimentPoint>(
      `select ${epochMs('bucket')} as t, ${SENTIMENT_COLUMNS.join(', ')}, sample_count::float8 as samples, simulated_count::float8 as simulated
       from ${table} where symbol = $1 and bucket > $2 and bucket <= $3 order by bucket`,
      window,
    ),
    // Raw rows (kept 90 days) say which inputs were real; older windows show the rollup's simulated counts only.
    db.query<InputProvenance>(
      `select input, sum(real)::float8 as real, sum(simulated)::float8 as simulated from (
         select unnest(real_inputs) as input, 1 as real, 0 as simulated from ml_features_sentiment where symbol = $1 and timestamp > $2 and timestamp <= $3
         union all
         select unnest(simulated_inputs), 0, 1 from ml_features_sentiment where symbol = $1 and timestamp > $2 and timestamp <= $3
       ) i group by input order by input`,
      window,
    ),
  ]);
  return { symbol: request.symbol, range: request.range, from, to, bucket, points, inputs, symbols };
}
