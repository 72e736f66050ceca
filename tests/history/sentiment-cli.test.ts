import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { poolSessions } from '@/lib/db/sql';
import type { JobContext } from '@/lib/jobs/kind';
import { runRequestsFor, triggerSchema } from '@/lib/jobs/trigger';
import { sentimentHistory } from '@/lib/jobs/kinds/sentiment-history';
import { parseConfig } from '@/lib/config/env';
import { PATHS, replayConfig, serveRecorded, startSentimentReplay, type SentimentReplay } from '../sentiment/replay-server';
import { features } from './scenario';

/** The sentiment history backfills from the command line, against recorded payloads served locally. */
describe('features sentiment', () => {
  let db: MigratedDatabase;
  let replay: SentimentReplay;
  beforeAll(async () => {
    db = await createMigratedDatabase();
    replay = await startSentimentReplay();
    serveRecorded(replay);
  });
  afterAll(async () => {
    await replay.close();
    await db.drop();
  });
  const env = () => ({ DATABASE_URL: db.url, FEAR_GREED_BASE_URL: replay.baseUrl, SENTIMENT_TIMEOUT_MS: '2000' });

  it('--fear-greed-history stores the daily values; a failing source exits 1 and stores nothing more', async () => {
    const ok = await features(['sentiment', '--fear-greed-history'], env());
    expect(ok.code, ok.stderr).toBe(0);
    const { rows } = await db.pool.query('select count(*)::int as n from fear_greed_samples');
    expect(ok.stdout).toContain(`${rows[0].n} stored`);
    expect(rows[0].n).toBeGreaterThan(0);
    replay.fail(PATHS.fearGreed, 'server_error');
    const failed = await features(['sentiment', '--fear-greed-history'], env());
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/Fear & Greed history/);
    replay.fail(PATHS.fearGreed, null);
  }, 120_000);

  it('rows for past hours from what is stored: 0 when written, 1 when nothing could be, 2 for bad arguments', async () => {
    const { rows: [latest] } = await db.pool.query<{ t: Date }>('select max(timestamp) as t from fear_greed_samples');
    const day = latest!.t.toISOString().slice(0, 10);
    const ok = await features(['sentiment', '--symbol', 'BTC/USDT', '--from', day, '--to', `${day}T05:00:00Z`], env());
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/[1-9]\d* written/);
    const again = await features(['sentiment', '--symbol', 'BTC/USDT', '--from', day, '--to', `${day}T05:00:00Z`], env());
    expect(again.code).toBe(1); // every hour has its row already
    expect((await features(['sentiment', '--symbol', 'BTC/USDT'], env())).code).toBe(2);
    expect((await features(['sentiment'], env())).code).toBe(2);
  }, 120_000);

  it('the admin page starts the same history backfill as a run', async () => {
    const cfg = parseConfig({ TRACKED_SYMBOLS: 'BTC/USDT,ETH/USDT' });
    const now = Date.now();
    const trigger = triggerSchema(cfg, now).parse({ kind: 'sentiment-history', symbols: ['ETH/USDT'], from: '2024-06-01', to: '2024-06-02' });
    const [run] = runRequestsFor(trigger);
    expect(run).toEqual({ kind: 'sentiment-history', symbols: ['ETH/USDT'], since: Date.UTC(2024, 5, 1), until: Date.UTC(2024, 5, 2) });
    const context = { cfg, pool: db.pool, sessions: poolSessions(db.pool), sentiment: replayConfig(replay) } as unknown as JobContext;
    const result = await sentimentHistory.handle(context, { symbols: ['ETH/USDT'], since: Date.UTC(2024, 5, 1), until: Date.UTC(2024, 5, 2) }, null as never);
    expect(result.rowsWritten).toBeGreaterThan(0);
    const { rows } = await db.pool.query("select count(*)::int as n from ml_features_sentiment where symbol = 'ETH/USDT'");
    expect(rows[0].n).toBeGreaterThan(0);
    replay.fail(PATHS.fearGreed, 'server_error');
    await expect(sentimentHistory.handle(context, { symbols: ['ETH/USDT'] }, null as never)).rejects.toThrow(/Fear & Greed history/);
    replay.fail(PATHS.fearGreed, null);
  }, 120_000);
});
