import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolSessions } from '@/lib/db/sql';
import { backfillFearGreed, backfillSentimentRows } from '@/lib/sentiment/backfill';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { candlesFromCloses, HOUR_MS, insertCandles, wanderingCloses } from '../labels/candle-rows';
import { PATHS, replayConfig, serveRecorded, startSentimentReplay, type SentimentReplay } from './replay-server';

const NOW = Date.UTC(2024, 5, 10, 14, 5);

describe('sentiment backfill', () => {
  let replay: SentimentReplay;
  let db: MigratedDatabase;
  const deps = () => ({ sessions: poolSessions(db.pool), config: replayConfig(replay), now: () => NOW });

  beforeAll(async () => {
    replay = await startSentimentReplay();
    serveRecorded(replay);
    db = await createMigratedDatabase();
    await insertCandles(db.pool, 'BTC/USDT', '1h', candlesFromCloses(Date.UTC(2024, 4, 25), HOUR_MS, wanderingCloses(16 * 24, 65000, 4)));
  });
  afterAll(async () => {
    await replay.close();
    await db.drop();
  });

  it('Fear & Greed history: fetched whole, stored once, the attempt recorded; a failure stores nothing', async () => {
    replay.fail(PATHS.fearGreed, 'server_error');
    expect(await backfillFearGreed(deps())).toMatchObject({ fetched: 0, written: 0, error: expect.stringContaining('HTTP 500') });
    replay.fail(PATHS.fearGreed, null);
    expect(await backfillFearGreed(deps())).toEqual({ fetched: 10, written: 10 });
    expect(replay.requests.at(-1)!.searchParams.get('limit')).toBe('0');
    expect(await backfillFearGreed(deps())).toEqual({ fetched: 10, written: 0 });
    const attempts = (await db.pool.query('select source, kind, outcome, rows_written from collection_attempts order by id')).rows;
    expect(attempts).toEqual([
      { source: 'alternative.me', kind: 'fear_greed', outcome: 'failed', rows_written: 0 },
      { source: 'alternative.me', kind: 'fear_greed', outcome: 'real', rows_written: 10 },
      { source: 'alternative.me', kind: 'fear_greed', outcome: 'real', rows_written: 0 },
    ]);
  });

  it('rows for past hours from stored data, never simulated, never over a collected row', async () => {
    const from = Date.UTC(2024, 5, 9, 0);
    const to = Date.UTC(2024, 5, 9, 23);
    const collected = Date.UTC(2024, 5, 9, 12);
    await db.pool.query(
      `insert into ml_features_sentiment (timestamp, symbol, fear_greed_index, real_inputs, simulated_inputs, is_simulated, feature_version)
       values ($1, 'BTC/USDT', 11, '{fear_greed}', '{news}', true, 'sentiment-v1')`,
      [new Date(collected)],
    );
    expect(await backfillSentimentRows(deps(), { symbols: ['BTC/USDT'], from, to })).toEqual({ written: 23 });
    const rows = (await db.pool.query<{ ts: Date; fear_greed_index: number; real_inputs: string[]; simulated_inputs: string[]; news_sentiment_score: number | null; whale_sentiment_proxy: number | null }>(
      `select timestamp as ts, fear_greed_index, real_inputs, simulated_inputs, news_sentiment_score, whale_sentiment_proxy
       from ml_features_sentiment where symbol = 'BTC/USDT' order by timestamp`,
    )).rows;
    expect(rows).toHaveLength(24);
    const collectedRow = rows.find((r) => r.ts.getTime() === collected)!;
    expect([collectedRow.fear_greed_index, collectedRow.simulated_inputs]).toEqual([11, ['news']]);
    const others = rows.filter((r) => r.ts.getTime() !== collected);
    // June 9's value (72) for every hour of June 9; no documents stored, so no news features.
    expect(others.every((r) => r.fear_greed_index === 72 && r.news_sentiment_score === null && r.whale_sentiment_proxy !== null)).toBe(true);
    expect(others.every((r) => r.real_inputs.join() === 'candles,fear_greed' && r.simulated_inputs.length === 0)).toBe(true);
    expect(await backfillSentimentRows(deps(), { symbols: ['BTC/USDT'], from, to })).toEqual({ written: 0 });
  });
});
