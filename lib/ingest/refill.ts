import type { Candle } from '@/lib/market/candle';
import { DEFAULT_PAGE_SIZE } from '@/lib/market/defaults';
import { detectGaps, type Gap } from '@/lib/market/gaps';
import { fetchCandlePages } from '@/lib/market/pages';
import { SourceError, timestampOf, type CandleSource } from '@/lib/market/source';
import { validateCandles, type RejectedRow } from '@/lib/market/validate';
import { recordAttempt } from './attempts';
import { readCandlesBefore, readStoredTimestamps, type Series } from './series';
import type { Sessions } from '@/lib/db/sql';
import { storeCandles } from './store';

export interface RefillDeps {
  sessions: Sessions;
  source: CandleSource;
  now?: () => number;
  runId?: string | null;
  maxJump?: number;
  pageSize?: number;
}

export interface RefillRequest extends Series {
  /** Window to inspect; defaults to the whole stored series (pass a window for long 1m series). */
  from?: number;
  to?: number;
}

export interface RefillResult {
  gaps: Gap[];
  outcome: 'real' | 'failed' | 'idle';
  written: number;
  quarantined: number;
  error?: string;
}

/**
 * Finds runs of missing candles inside a stored series and asks the source for them. Everything
 * found is stored in one transaction, features recomputed from the earliest refilled candle on.
 * Simulating inside history would not join up with the real candle after the gap, so a failing
 * source leaves the gap for the next run (outcome `failed`).
 */
export async function refillGaps(deps: RefillDeps, request: RefillRequest): Promise<RefillResult> {
  const now = (deps.now ?? Date.now)();
  const series: Series = { symbol: request.symbol, timeframe: request.timeframe };
  const timestamps = await deps.sessions((db) => readStoredTimestamps(db, series, request.from, request.to));
  const gaps = detectGaps(timestamps, series.timeframe, { from: request.from, to: request.to });
  if (!gaps.length) return { gaps, outcome: 'idle', written: 0, quarantined: 0 };

  const accepted: Candle[] = [];
  const rejected: RejectedRow[] = [];
  let failure: Error | undefined;
  for (const gap of gaps) {
    try {
      const rows: unknown[] = [];
      for await (const page of fetchCandlePages(deps.source, { ...series, since: gap.from, until: gap.to, pageSize: deps.pageSize ?? DEFAULT_PAGE_SIZE })) {
        // Pages run past the gap into candles already stored; only the gap's own rows matter here.
        rows.push(...page.filter((row) => { const t = timestampOf(row); return t === undefined || (t >= gap.from && t <= gap.to); }));
      }
      const previous = (await deps.sessions((db) => readCandlesBefore(db, series, gap.from, 1)))[0];
      const checked = validateCandles(rows, { timeframe: series.timeframe, now, maxJump: deps.maxJump, previous });
      accepted.push(...checked.accepted);
      rejected.push(...checked.rejected);
    } catch (error) {
      failure = error instanceof Error ? error : new SourceError('malformed', String(error));
      break;
    }
  }

  const result: RefillResult = { gaps, outcome: failure ? 'failed' : 'real', written: 0, quarantined: 0, error: failure?.message };
  await deps.sessions(async (db) => {
    try {
      accepted.sort((a, b) => a.timestamp - b.timestamp);
      const stored = await storeCandles(db, { ...series, source: deps.source.id, candles: accepted, rejected, now });
      result.written = stored.written;
      result.quarantined = stored.quarantined;
    } catch (error) {
      result.outcome = 'failed';
      result.error = `storing failed: ${(error as Error).message}`;
    }
    await recordAttempt(db, {
      runId: deps.runId,
      source: deps.source.id,
      symbol: series.symbol,
      timeframe: series.timeframe,
      startedAt: now,
      finishedAt: Math.max(now, (deps.now ?? Date.now)()),
      outcome: result.outcome === 'failed' ? 'failed' : 'real',
      rowsWritten: result.written,
      rowsSimulated: 0,
      rowsQuarantined: result.quarantined,
      error: result.error ? `gap refill: ${result.error}` : null,
    });
  });
  return result;
}
