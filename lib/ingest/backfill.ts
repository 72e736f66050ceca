import type { Candle } from '@/lib/market/candle';
import { DEFAULT_PAGE_SIZE } from '@/lib/market/defaults';
import { SourceError, timestampOf, type CandleSource } from '@/lib/market/source';
import { lastClosedOpenTime, timeframeMs } from '@/lib/market/timeframe';
import { validateCandles } from '@/lib/market/validate';
import type { RetentionTiers } from '@/lib/db/retention-tiers';
import { recordAttempt } from './attempts';
import { checkExpiringRange } from './expiring';
import { summarizeGaps, type GapSummary } from './gap-report';
import { readCandlesBefore, type Series } from './series';
import type { Sessions } from '@/lib/db/sql';
import { recomputeFeatures, refreshOldRollups, storeCandles } from './store';
import { DomainError } from '@/lib/errors';

export interface BackfillProgress {
  /** Candles expected between `since` and the last closed candle. */
  total: number;
  /** Rows received so far. */
  fetched: number;
  written: number;
  quarantined: number;
  /** Open time of the newest candle received so far. */
  through: number | null;
  /** Open times of the rows written (inclusive), once the backfill ended. */
  range?: { from: number; to: number } | null;
  /** Missing candles between the candles the exchange sent (at the end). */
  gaps?: GapSummary;
}

export interface BackfillRequest extends Series {
  since: number;
  /** Last open time wanted; defaults to the last closed candle. */
  until?: number;
  onProgress?: (progress: BackfillProgress) => void;
  /** The retention tiers: a range they would delete now is refused unless allowExpiring. */
  retention?: { tiers: RetentionTiers; allowExpiring?: boolean };
}

export interface BackfillDeps {
  sessions: Sessions;
  source: CandleSource;
  now?: () => number;
  runId?: string | null;
  maxJump?: number;
  pageSize?: number;
  /** Extra tries per page after a transient failure, with doubling waits. */
  retries?: number;
  retryDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The source kept failing: the pages stored so far stay, `progress` says how far it got. */
export class BackfillError extends DomainError {
  override name = 'BackfillError';
  constructor(
    message: string,
    readonly progress: BackfillProgress,
    options?: { cause?: unknown },
  ) {
    super('unavailable', message, options);
  }
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * History from a date, page by page, each page validated and stored in its own transaction (a
 * failure keeps every page before it; running again resumes idempotently). Features of stored
 * candles after the backfilled range are recomputed once at the end, rollups refreshed once.
 * No simulation here: a page that keeps failing ends the backfill with a BackfillError.
 */
export async function backfillCandles(deps: BackfillDeps, request: BackfillRequest): Promise<BackfillProgress> {
  const now = (deps.now ?? Date.now)();
  const size = timeframeMs(request.timeframe);
  const until = Math.min(request.until ?? Infinity, lastClosedOpenTime(now, request.timeframe));
  // Before anything is fetched or written.
  checkExpiringRange({ from: request.since, to: until }, request.timeframe, size, request.retention, now);
  const progress: BackfillProgress = { total: Math.max(0, Math.floor((until - request.since) / size) + 1), fetched: 0, written: 0, quarantined: 0, through: null };
  const received: number[] = [];
  const series: Series = { symbol: request.symbol, timeframe: request.timeframe };
  const sleep = deps.sleep ?? wait;
  const pageSize = deps.pageSize ?? DEFAULT_PAGE_SIZE;
  let written: { from: number; to: number } | null = null;
  let failure: unknown;

  await deps.sessions(async (db) => {
    let previous: Candle | undefined = (await readCandlesBefore(db, series, request.since, 1))[0];
    let since = request.since;
    try {
      while (since <= until) {
        const rows = await fetchPageWithRetries(deps, () => deps.source.fetchCandles(series.symbol, series.timeframe, since, pageSize), sleep);
        if (!rows.length) break;
        const { accepted, rejected } = validateCandles(rows, { timeframe: request.timeframe, now, maxJump: deps.maxJump, previous });
        for (const candle of accepted) received.push(candle.timestamp);
        const stored = await storeCandles(db, { ...series, source: deps.source.id, candles: accepted, rejected, recomputeAfter: false, refreshRollups: false, now });
        if (stored.range) written = { from: Math.min(written?.from ?? Infinity, stored.range.from), to: Math.max(written?.to ?? -Infinity, stored.range.to) };
        const newest = rows.reduce<number>((max, row) => Math.max(max, timestampOf(row) ?? -Infinity), -Infinity);
        progress.fetched += rows.length;
        progress.written += stored.written;
        progress.quarantined += stored.quarantined;
        progress.through = Number.isFinite(newest) ? newest : progress.through;
        previous = accepted[accepted.length - 1] ?? previous;
        request.onProgress?.({ ...progress });
        // A short page is the end of the history; a page that does not move forward would loop.
        if (!Number.isFinite(newest) || newest < since || rows.length < pageSize) break;
        since = newest + size;
      }
      // Stored candles after the backfilled range were computed without this history.
      if (written) {
        const tail = await recomputeFeatures(db, series, written.to + size);
        progress.written += tail.written;
        await refreshOldRollups(db, { from: written.from, to: tail.range?.to ?? written.to }, now);
      }
    } catch (error) {
      failure = error;
    }
    await recordAttempt(db, {
      runId: deps.runId,
      source: deps.source.id,
      symbol: series.symbol,
      timeframe: series.timeframe,
      startedAt: now,
      finishedAt: Math.max(now, (deps.now ?? Date.now)()),
      outcome: failure ? 'failed' : 'real',
      rowsWritten: progress.written,
      rowsSimulated: 0,
      rowsQuarantined: progress.quarantined,
      error: failure ? `backfill stopped: ${(failure as Error).message}` : null,
    });
  });
  progress.range = written;
  progress.gaps = summarizeGaps(received, request.timeframe);
  if (failure) throw new BackfillError(`backfill of ${series.symbol} ${series.timeframe} stopped after ${progress.fetched} rows: ${(failure as Error).message}`, progress, { cause: failure });
  return progress;
}

async function fetchPageWithRetries<T>(deps: BackfillDeps, fetchPage: () => Promise<T>, sleep: (ms: number) => Promise<void>): Promise<T> {
  const retries = deps.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchPage();
    } catch (error) {
      if (!(error instanceof SourceError) || !error.transient || attempt >= retries) throw error;
      await sleep((deps.retryDelayMs ?? 1000) * 2 ** attempt);
    }
  }
}
