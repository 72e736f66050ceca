import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { poolSessions } from '@/lib/db/sql';
import { CircuitBreaker } from '@/lib/market/circuit-breaker';
import { collectSentiment, SentimentCollectionError, type SentimentCollectorDeps } from '@/lib/sentiment/collect';
import type { SentimentSourceConfig } from '@/lib/sentiment/config';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { candlesFromCloses, HOUR_MS, insertCandles, wanderingCloses } from '../labels/candle-rows';
import { PATHS, replayConfig, serveRecorded, startSentimentReplay, type SentimentReplay } from './replay-server';

const HOUR = Date.UTC(2024, 5, 10, 13);
const END = HOUR + HOUR_MS;
const NOW = Date.UTC(2024, 5, 10, 14, 5);
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];

interface AttemptRow {
  source: string;
  kind: string;
  symbol: string;
  outcome: string;
  rows_written: number;
  rows_simulated: number;
  rows_quarantined: number;
  error: string | null;
}

interface SentimentDbRow {
  symbol: string;
  real_inputs: string[];
  simulated_inputs: string[];
  is_simulated: boolean;
  computed_at: Date;
  [column: string]: unknown;
}

describe('collectSentiment against a real database and recorded sources', () => {
  let replay: SentimentReplay;
  const databases: MigratedDatabase[] = [];

  beforeAll(async () => {
    replay = await startSentimentReplay();
  });
  afterAll(async () => {
    await replay.close();
    await Promise.all(databases.map((d) => d.drop()));
  });
  afterEach(() => {
    for (const p of Object.values(PATHS)) replay.fail(p, null);
  });

  async function freshDatabase(): Promise<MigratedDatabase> {
    const db = await createMigratedDatabase();
    databases.push(db);
    // Two hundred hours of real 1h candles up to the collected hour, for whale and divergence features.
    for (const [i, symbol] of SYMBOLS.entries()) {
      const start = HOUR - 199 * HOUR_MS;
      await insertCandles(db.pool, symbol, '1h', candlesFromCloses(start, HOUR_MS, wanderingCloses(200, i ? 3500 : 69000, 11 + i), (k) => (k % 37 === 0 ? 900 : 100 + (k % 5))));
    }
    return db;
  }

  const deps = (db: MigratedDatabase, config: Partial<SentimentSourceConfig> = {}, extra: Partial<SentimentCollectorDeps> = {}): SentimentCollectorDeps => ({
    sessions: poolSessions(db.pool),
    config: replayConfig(replay, config),
    now: () => NOW,
    runId: 'test-run',
    ...extra,
  });

  const rows = async (db: MigratedDatabase) =>
    (await db.pool.query<SentimentDbRow>('select * from ml_features_sentiment order by symbol, timestamp')).rows;
  const attempts = async (db: MigratedDatabase) =>
    (await db.pool.query<AttemptRow>('select source, kind, symbol, outcome, rows_written, rows_simulated, rows_quarantined, error from collection_attempts order by id')).rows;
  const count = async (db: MigratedDatabase, table: string) => (await db.pool.query<{ n: number }>(`select count(*)::int as n from ${table}`)).rows[0]!.n;

  it('all sources answer: one real row per symbol, each document stored once, every attempt recorded as real', async () => {
    serveRecorded(replay);
    const db = await freshDatabase();
    const result = await collectSentiment(deps(db), { symbols: SYMBOLS });
    expect(result.hour).toBe(HOUR);
    expect(result.error).toBeUndefined();

    const stored = await rows(db);
    expect(stored.map((r) => [r.symbol, r.real_inputs, r.simulated_inputs, r.is_simulated])).toEqual([
      ['BTC/USDT', ['candles', 'fear_greed', 'news', 'social'], [], false],
      ['ETH/USDT', ['candles', 'fear_greed', 'news', 'social'], [], false],
    ]);
    const btc = stored[0]!;
    expect(btc.timestamp).toEqual(new Date(HOUR));
    expect(btc.fear_greed_index).toBe(74);
    expect(btc.feature_version).toBe('sentiment-v1');
    for (const column of ['news_sentiment_score', 'social_sentiment_score', 'weighted_coin_sentiment', 'whale_sentiment_proxy', 'sentiment_divergence_score', 'multi_timeframe_sentiment', 'sentiment_momentum', 'sentiment_volatility', 'sentiment_trend_strength']) {
      expect(btc[column], column).toEqual(expect.any(Number));
    }
    expect((btc.bullish_sentiment_ratio as number) + (btc.bearish_sentiment_ratio as number) + (btc.neutral_sentiment_ratio as number)).toBeCloseTo(1, 12);

    // The news score is the mean VADER compound of the stored headlines of the 24 hours up to 14:00,
    // checked here with SQL over the stored documents rather than with the code under test.
    const [news] = (await db.pool.query<{ avg: number }>(
      `select avg(compound) as avg from sentiment_documents where kind = 'news' and published_at > $1 and published_at <= $2`,
      [new Date(END - 24 * HOUR_MS), new Date(END)],
    )).rows;
    expect(btc.news_sentiment_score).toBeCloseTo(news!.avg, 12);

    // 7 + 4 + 3 headlines, one of Cointelegraph's a copy of CoinDesk's; 7 + 4 posts, one cross-posted.
    const documents = (await db.pool.query<{ kind: string; source: string; n: number }>(
      'select kind, source, count(*)::int as n from sentiment_documents group by kind, source order by kind, source',
    )).rows;
    expect(documents).toEqual([
      { kind: 'news', source: 'rss:coindesk', n: 7 },
      { kind: 'news', source: 'rss:cointelegraph', n: 3 },
      { kind: 'news', source: 'rss:decrypt', n: 3 },
      { kind: 'social', source: 'reddit:r/Bitcoin', n: 3 },
      { kind: 'social', source: 'reddit:r/CryptoCurrency', n: 7 },
    ]);
    const [copy] = (await db.pool.query('select title, source, coins, mentions from sentiment_documents where title ilike $1', ['bitcoin surges past%'])).rows;
    expect(copy).toEqual({ title: 'Bitcoin Surges Past $70K as ETF Inflows Return', source: 'rss:coindesk', coins: ['BTC'], mentions: [1] });
    expect(await count(db, 'fear_greed_samples')).toBe(10);
    expect((await db.pool.query('select dominance_pct, method, is_simulated from btc_dominance_samples')).rows).toEqual([
      { dominance_pct: 51.23, method: 'coingecko_market_cap', is_simulated: false },
    ]);

    const recorded = await attempts(db);
    expect(recorded.map((a) => [a.source, a.kind, a.symbol, a.outcome, a.rows_written, a.rows_quarantined])).toEqual([
      ['alternative.me', 'fear_greed', '*', 'real', 10, 0],
      ['coingecko', 'dominance', '*', 'real', 1, 0],
      ['rss:coindesk', 'news', '*', 'real', 7, 0],
      ['rss:cointelegraph', 'news', '*', 'real', 3, 1],
      ['rss:decrypt', 'news', '*', 'real', 3, 0],
      ['reddit:r/CryptoCurrency', 'social', '*', 'real', 7, 0],
      ['reddit:r/Bitcoin', 'social', '*', 'real', 3, 0],
    ]);
    // CryptoPanic has no key here: it is neither asked nor recorded.
    expect(replay.requests.some((r) => r.pathname === PATHS.cryptoPanic)).toBe(false);

    // Running the same hour again stores nothing twice and rewrites nothing.
    const before = await rows(db);
    const again = await collectSentiment(deps(db), { symbols: SYMBOLS });
    expect(again.rows.map((r) => r.written)).toEqual([false, false]);
    expect(await rows(db)).toEqual(before);
    expect(await count(db, 'sentiment_documents')).toBe(23);
    expect(await count(db, 'fear_greed_samples')).toBe(10);
    expect(await count(db, 'btc_dominance_samples')).toBe(1);
    expect((await attempts(db)).slice(7).map((a) => [a.outcome, a.rows_written])).toEqual(Array(7).fill(['real', 0]));
  });

  it('every source failing: each input falls back to flagged simulated values, attempts say fallback and why', async () => {
    serveRecorded(replay);
    replay.fail(PATHS.fearGreed, 'server_error');
    replay.fail(PATHS.coinGecko, 'rate_limit');
    replay.fail(PATHS.coindesk, 'timeout');
    replay.fail(PATHS.cointelegraph, 'malformed');
    replay.fail(PATHS.decrypt, 'empty');
    replay.fail(PATHS.redditCryptoCurrency, 'malformed');
    replay.fail(PATHS.redditBitcoin, 'reset');
    const db = await freshDatabase();
    const result = await collectSentiment(deps(db), { symbols: SYMBOLS });

    const stored = await rows(db);
    for (const row of stored) {
      expect(row.real_inputs).toEqual(['candles']);
      expect(row.simulated_inputs).toEqual(['fear_greed', 'news', 'social']);
      expect(row.is_simulated).toBe(true);
      // Simulated stand-ins keep the features defined (and within range).
      expect(row.fear_greed_index).toEqual(expect.any(Number));
      expect(row.news_sentiment_score as number).toBeGreaterThanOrEqual(-1);
      expect(row.news_sentiment_score as number).toBeLessThanOrEqual(1);
    }
    // Nothing simulated is stored as if it had been received.
    expect(await count(db, 'sentiment_documents')).toBe(0);
    expect(await count(db, 'fear_greed_samples')).toBe(0);
    // Dominance comes from the tracked symbols instead, and says so.
    expect((await db.pool.query('select method, symbols, is_simulated from btc_dominance_samples')).rows).toEqual([
      { method: 'tracked_volume_share', symbols: SYMBOLS, is_simulated: false },
    ]);

    const recorded = await attempts(db);
    expect(recorded.map((a) => [a.source, a.outcome, a.rows_simulated])).toEqual([
      ['alternative.me', 'fallback', 2],
      ['coingecko', 'fallback', 0],
      ['rss:coindesk', 'fallback', 2],
      ['rss:cointelegraph', 'fallback', 2],
      ['rss:decrypt', 'fallback', 2],
      ['reddit:r/CryptoCurrency', 'fallback', 2],
      ['reddit:r/Bitcoin', 'fallback', 2],
    ]);
    expect(recorded.map((a) => a.error)).toEqual([
      expect.stringContaining('HTTP 500'),
      expect.stringContaining('computed from the tracked symbols'),
      expect.stringContaining('no complete answer within 2000 ms'),
      expect.stringContaining('not an RSS or Atom feed'),
      expect.stringContaining('empty answer'),
      expect.stringContaining('not JSON'),
      expect.stringMatching(/reddit:r\/Bitcoin.*(socket|other side closed|terminated|ECONNRESET)/i),
    ]);
    expect(result.sources.every((s) => s.outcome === 'fallback')).toBe(true);

    // Simulated values are seeded: the same failing run gives the same row, so nothing is rewritten.
    const again = await collectSentiment(deps(db), { symbols: SYMBOLS });
    expect(again.rows.map((r) => r.written)).toEqual([false, false]);
    expect(await rows(db)).toEqual(stored);

    // The sources recover: the hour is collected again and becomes real.
    for (const p of Object.values(PATHS)) replay.fail(p, null);
    const recovered = await collectSentiment(deps(db), { symbols: SYMBOLS });
    expect(recovered.rows.map((r) => [r.written, r.simulatedInputs])).toEqual([[true, []], [true, []]]);
    expect((await db.pool.query('select method from btc_dominance_samples')).rows).toEqual([{ method: 'coingecko_market_cap' }]);

    // And a later failing run never turns a real row back into a simulated one.
    for (const p of [PATHS.coindesk, PATHS.cointelegraph, PATHS.decrypt]) replay.fail(p, 'server_error');
    const degraded = await collectSentiment(deps(db), { symbols: SYMBOLS });
    expect(degraded.rows.map((r) => [r.written, r.simulatedInputs])).toEqual([[false, ['news']], [false, ['news']]]);
    expect((await rows(db)).every((r) => !r.is_simulated)).toBe(true);
  });

  it('one failing feed is covered by the others, and a stored Fear & Greed value keeps that input real', async () => {
    serveRecorded(replay);
    const db = await freshDatabase();
    await collectSentiment(deps(db), { symbols: SYMBOLS, hour: HOUR - HOUR_MS });
    replay.fail(PATHS.coindesk, 'server_error');
    replay.fail(PATHS.fearGreed, 'timeout');
    await collectSentiment(deps(db), { symbols: SYMBOLS });
    const latest = (await rows(db)).filter((r) => r.timestamp instanceof Date && r.timestamp.getTime() === HOUR);
    expect(latest.map((r) => [r.real_inputs, r.simulated_inputs])).toEqual([
      [['candles', 'fear_greed', 'news', 'social'], []],
      [['candles', 'fear_greed', 'news', 'social'], []],
    ]);
    const recorded = (await attempts(db)).slice(7);
    expect(recorded.find((a) => a.source === 'rss:coindesk')).toMatchObject({ outcome: 'failed', rows_simulated: 0, error: expect.stringContaining('stayed real') });
    expect(recorded.find((a) => a.source === 'alternative.me')).toMatchObject({ outcome: 'failed', error: expect.stringContaining('no complete answer') });
  });

  it('simulated candles make the candle input simulated', async () => {
    serveRecorded(replay);
    const db = await freshDatabase();
    await db.pool.query(`update ml_features_ohlcv set source = 'simulated', is_simulated = true where symbol = 'ETH/USDT' and timestamp = $1`, [new Date(HOUR - 3 * HOUR_MS)]);
    await collectSentiment(deps(db), { symbols: SYMBOLS });
    expect((await rows(db)).map((r) => [r.symbol, r.simulated_inputs, r.is_simulated])).toEqual([
      ['BTC/USDT', [], false],
      ['ETH/USDT', ['candles'], true],
    ]);
  });

  it('uses CryptoPanic when keyed, deduplicated against the RSS headlines', async () => {
    serveRecorded(replay);
    const db = await freshDatabase();
    await collectSentiment(deps(db, { cryptoPanic: { apiKey: 'test-key', baseUrl: `${replay.baseUrl}/api/developer/v2` } }), { symbols: SYMBOLS });
    const attempt = (await attempts(db)).find((a) => a.source === 'cryptopanic');
    // Its BTC headline is CoinDesk's (published a minute later): only the XRP one is new; the video is not news.
    expect(attempt).toMatchObject({ kind: 'news', outcome: 'real', rows_written: 1, rows_quarantined: 1 });
    expect((await db.pool.query(`select title, coins from sentiment_documents where source = 'cryptopanic'`)).rows).toEqual([
      { title: 'XRP up 5% after court ruling & new partnerships', coins: ['XRP'] },
    ]);
  });

  it('an open circuit skips the source without a request and records why', async () => {
    serveRecorded(replay);
    const db = await freshDatabase();
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 60_000, now: () => NOW });
    breaker.recordFailure();
    const before = replay.requests.length;
    await collectSentiment(deps(db, { subreddits: [], newsFeeds: [] }, { breakerFor: (source) => (source === 'coingecko' ? breaker : undefined) }), { symbols: SYMBOLS });
    expect(replay.requests.slice(before).map((r) => r.pathname)).toEqual([PATHS.fearGreed]);
    expect((await attempts(db)).find((a) => a.source === 'coingecko')).toMatchObject({ outcome: 'fallback', error: expect.stringContaining('circuit open') });
    // Without configured news or social sources those inputs are neither real nor simulated.
    expect((await rows(db)).map((r) => [r.real_inputs, r.simulated_inputs])).toEqual([
      [['candles', 'fear_greed'], []],
      [['candles', 'fear_greed'], []],
    ]);
  });

  it('refuses an hour that has not ended, and an empty symbol list', async () => {
    const db = await freshDatabase();
    await expect(collectSentiment(deps(db), { symbols: SYMBOLS, hour: HOUR + HOUR_MS })).rejects.toThrow(SentimentCollectionError);
    await expect(collectSentiment(deps(db), { symbols: [] })).rejects.toThrow('no symbols');
    expect(await count(db, 'collection_attempts')).toBe(0);
  });
});
