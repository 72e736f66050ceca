import { schemaMode } from '@/lib/db/info';
import { refreshTouchedRollups } from '@/lib/db/rollups';
import { recordAttempt } from '@/lib/ingest/attempts';
import { readCandles } from '@/lib/ingest/series';
import { epochMs } from '@/lib/db/fragments';
import type { Sessions } from '@/lib/db/sql';
import { SourceError } from '@/lib/market/source';
import { lastClosedOpenTime } from '@/lib/market/timeframe';
import { MARKET_WIDE_SYMBOL, SentimentCollectionError } from './collect';
import { coinOf } from '@/lib/market/coin';
import { HOUR_MS } from '@/lib/market/time';
import type { SentimentSourceConfig } from './config';
import { applicableFearGreed, candlesUsed, computeSentimentFeatures, DOCUMENT_WINDOW_HOURS, FEAR_GREED_MAX_AGE_MS, hourlyLevel, WHALE_BASELINE_HOURS } from './features';
import { FEAR_GREED_SOURCE, fetchFearGreed } from './sources/fear-greed';
import { readDocuments, readFearGreed, readStoredLevels, storeFearGreed, upsertSentimentRow } from './store';

/**
 * History for training sets: the Fear & Greed index's full daily history, and sentiment rows for
 * past hours computed from what is stored. A backfill never simulates: an input with nothing
 * stored for an hour is simply absent from that row (its features null), and a row the hourly
 * collection already wrote is never touched.
 */
export interface BackfillDeps {
  sessions: Sessions;
  config: SentimentSourceConfig;
  now?: () => number;
  runId?: string | null;
}

export interface FearGreedBackfillResult {
  fetched: number;
  written: number;
  error?: string;
}

/** Fetches `days` days of Fear & Greed (0: all of it, since February 2018) and stores them. */
export async function backfillFearGreed(deps: BackfillDeps, { days = 0 }: { days?: number } = {}): Promise<FearGreedBackfillResult> {
  const clock = deps.now ?? Date.now;
  const startedAt = clock();
  let result: FearGreedBackfillResult;
  try {
    const samples = await fetchFearGreed({ baseUrl: deps.config.fearGreedBaseUrl, timeoutMs: deps.config.timeoutMs, limit: days, userAgent: deps.config.userAgent });
    const written = await deps.sessions((db) => storeFearGreed(db, samples, FEAR_GREED_SOURCE, startedAt));
    result = { fetched: samples.length, written };
  } catch (error) {
    result = { fetched: 0, written: 0, error: error instanceof SourceError || error instanceof Error ? error.message : String(error) };
  }
  await deps.sessions((db) =>
    recordAttempt(db, {
      runId: deps.runId,
      source: FEAR_GREED_SOURCE,
      kind: 'fear_greed',
      symbol: MARKET_WIDE_SYMBOL,
      timeframe: null,
      startedAt,
      finishedAt: Math.max(startedAt, clock()),
      // Nothing stands in for history that could not be fetched.
      outcome: result.error ? 'failed' : 'real',
      rowsWritten: result.written,
      rowsSimulated: 0,
      rowsQuarantined: 0,
      error: result.error ?? null,
    }),
  );
  return result;
}

export interface SentimentBackfillRequest {
  symbols: readonly string[];
  /** First hour (start, unix ms), inclusive. */
  from: number;
  /** Last hour, inclusive; at most the last hour that has ended. */
  to: number;
}

/** Computes rows for the hours in [from, to] that have none yet, from stored samples, documents and candles. */
export async function backfillSentimentRows(deps: Pick<BackfillDeps, 'sessions' | 'now'>, request: SentimentBackfillRequest): Promise<{ written: number }> {
  const now = (deps.now ?? Date.now)();
  const from = Math.ceil(request.from / HOUR_MS) * HOUR_MS;
  const to = Math.min(Math.floor(request.to / HOUR_MS) * HOUR_MS, lastClosedOpenTime(now, '1h'));
  const symbols = [...new Set(request.symbols)];
  if (!symbols.length) throw new SentimentCollectionError('no symbols to backfill sentiment for');
  if (from > to) return { written: 0 };

  return deps.sessions(async (db) => {
    const documents = await readDocuments(db, from - DOCUMENT_WINDOW_HOURS * HOUR_MS, to + HOUR_MS);
    const fearGreed = await readFearGreed(db, from - FEAR_GREED_MAX_AGE_MS, to + HOUR_MS);
    const writtenHours: number[] = [];
    for (const symbol of symbols) {
      const coin = coinOf(symbol);
      const candles = await readCandles(db, { symbol, timeframe: '1h' }, from - (WHALE_BASELINE_HOURS + 1) * HOUR_MS, to);
      const existing = new Set(
        (await db.query<{ ts: number }>(`select ${epochMs('timestamp')} as ts from ml_features_sentiment where symbol = $1 and timestamp between $2 and $3`, [
          symbol,
          new Date(from).toISOString(),
          new Date(to).toISOString(),
        ])).rows.map((r) => r.ts),
      );
      // Hours are filled oldest first, so each row's level is there for the hours after it.
      const storedLevels = await readStoredLevels(db, symbol, from - (DOCUMENT_WINDOW_HOURS - 1) * HOUR_MS, to);
      for (let hour = from; hour <= to; hour += HOUR_MS) {
        if (existing.has(hour)) continue;
        const window = candles.filter((c) => c.timestamp > hour - (WHALE_BASELINE_HOURS + 1) * HOUR_MS && c.timestamp <= hour);
        const docs = documents.filter((d) => d.publishedAt > hour + HOUR_MS - DOCUMENT_WINDOW_HOURS * HOUR_MS && d.publishedAt <= hour + HOUR_MS);
        const point = applicableFearGreed(fearGreed, hour);
        const features = computeSentimentFeatures({ hour, coin, fearGreed: point?.value ?? null, documents: docs, candles: window, storedLevels });
        const level = hourlyLevel(docs, coin, hour);
        const used = candlesUsed(window, hour, features);
        const inputs: [string, boolean, boolean][] = [
          ['fear_greed', point !== null, false],
          ['news', docs.some((d) => d.kind === 'news'), false],
          ['social', docs.some((d) => d.kind === 'social'), false],
          ['candles', used.length > 0, used.some((c) => c.isSimulated)],
        ];
        const present = inputs.filter(([, used]) => used);
        if (!present.length) continue;
        const ok = await upsertSentimentRow(db, {
          symbol,
          hour,
          features,
          level,
          realInputs: present.filter(([, , simulated]) => !simulated).map(([name]) => name),
          simulatedInputs: present.filter(([, , simulated]) => simulated).map(([name]) => name),
        }, { onlyIfAbsent: true });
        if (!ok) continue;
        writtenHours.push(hour);
        if (level) storedLevels.push(level);
      }
    }
    // Past hours are beyond TimescaleDB's refresh windows: refresh exactly the buckets written.
    const mode = writtenHours.length ? await schemaMode(db) : null;
    if (mode) await refreshTouchedRollups(db, mode, 'sentiment', writtenHours);
    return { written: writtenHours.length };
  });
}
