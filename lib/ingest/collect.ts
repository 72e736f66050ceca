import type { Candle } from '@/lib/market/candle';
import type { CircuitBreaker } from '@/lib/market/circuit-breaker';
import { DEFAULT_PAGE_SIZE } from '@/lib/market/defaults';
import { fetchCandlePages } from '@/lib/market/pages';
import { seedFrom } from '@/lib/market/random';
import { SIMULATED_SOURCE, simulateCandles } from '@/lib/market/simulate';
import { SourceError, type CandleSource } from '@/lib/market/source';
import { lastClosedOpenTime, timeframeMs } from '@/lib/market/timeframe';
import { validateCandles, type RejectedRow } from '@/lib/market/validate';
import { recordAttempt, type AttemptOutcome } from './attempts';
import { lastStoredCandle, readCandlesBefore, type Series } from './series';
import type { Sessions } from '@/lib/db/sql';
import { storeCandles } from './store';

export interface CollectorDeps {
  sessions: Sessions;
  source: CandleSource;
  /** One breaker per source, shared by all its series. */
  breaker?: CircuitBreaker;
  now?: () => number;
  runId?: string | null;
  maxJump?: number;
  pageSize?: number;
  /** Pages per attempt; what is still missing after them comes in the next attempt. */
  maxPages?: number;
  /** Simulated candles per attempt at most. */
  maxSimulated?: number;
  /** Mixed into every simulation seed; the same seed and inputs give the same simulated candles. */
  seed?: number;
}

export interface CollectResult {
  /** `idle`: nothing had closed since the last stored candle, so nothing was asked or recorded. */
  outcome: AttemptOutcome | 'idle';
  written: number;
  simulated: number;
  quarantined: number;
  replaced: number;
  error?: string;
  failure?: SourceError;
}

// Simulation statistics come from this much recent history.
const SIMULATION_HISTORY = 500;

interface Fetched {
  accepted: Candle[];
  rejected: RejectedRow[];
  failure?: SourceError;
}

async function fetchMissing(deps: CollectorDeps, series: Series, since: number, until: number, previous: Candle | undefined, now: number): Promise<Fetched> {
  const rows: unknown[] = [];
  const pageSize = deps.pageSize ?? DEFAULT_PAGE_SIZE;
  let failure: SourceError | undefined;
  if (deps.breaker && !deps.breaker.tryAcquire()) {
    return { accepted: [], rejected: [], failure: new SourceError('circuit_open', `${deps.source.id}: circuit open after repeated failures; not asking until the cooldown ends`) };
  }
  try {
    let pages = 0;
    for await (const page of fetchCandlePages(deps.source, { ...series, since, until, pageSize })) {
      rows.push(...page);
      if (++pages >= (deps.maxPages ?? 10)) break;
    }
  } catch (error) {
    failure = error instanceof SourceError ? error : new SourceError('malformed', `${deps.source.id}: ${(error as Error).message}`, { cause: error });
  }
  const { accepted, rejected } = validateCandles(rows, { timeframe: series.timeframe, now, maxJump: deps.maxJump, previous });
  // At least one closed candle was due: an answer without a usable one is a failed answer.
  if (!failure && accepted.length === 0) {
    failure = rejected.length
      ? new SourceError('malformed', `${deps.source.id}: all ${rejected.length} rows for ${series.symbol} ${series.timeframe} were rejected (see ingest_quarantine)`)
      : new SourceError('empty', `${deps.source.id}: no closed ${series.timeframe} candle for ${series.symbol} since ${new Date(since).toISOString()}`);
  }
  if (failure) deps.breaker?.recordFailure();
  else deps.breaker?.recordSuccess();
  return { accepted, rejected, failure };
}

/** Open times from `after` (exclusive) to `through` (inclusive), at most `max` of them, oldest first. */
function openTimes(after: number, through: number, size: number, max: number): number[] {
  const times: number[] = [];
  for (let t = after + size; t <= through && times.length < max; t += size) times.push(t);
  return times;
}

/**
 * One collection attempt for one series: asks the source for every closed candle after the last
 * stored real one (so simulated stand-ins get replaced), validates, stores candles with features
 * and quarantines rejects. When the source fails transiently, simulated candles continue the
 * series up to the last closed candle instead. Every attempt is recorded with its outcome.
 */
export async function collectCandles(deps: CollectorDeps, series: Series): Promise<CollectResult> {
  const now = (deps.now ?? Date.now)();
  const startedAt = now;
  const size = timeframeMs(series.timeframe);
  const pageSize = deps.pageSize ?? DEFAULT_PAGE_SIZE;
  const lastClosed = lastClosedOpenTime(now, series.timeframe);

  const [lastReal, lastAny] = await deps.sessions((db) =>
    Promise.all([lastStoredCandle(db, series, { realOnly: true }), lastStoredCandle(db, series)]),
  );
  // An empty series starts with one page of recent history; `backfill` reaches further back.
  const since = lastReal ? lastReal.timestamp + size : lastAny ? lastAny.timestamp + size : lastClosed - (pageSize - 1) * size;
  if (since > lastClosed) return { outcome: 'idle', written: 0, simulated: 0, quarantined: 0, replaced: 0 };

  const fetched = await fetchMissing(deps, series, since, lastClosed, lastReal ?? undefined, now);
  const result: CollectResult = { outcome: 'real', written: 0, simulated: 0, quarantined: 0, replaced: 0 };
  try {
    await deps.sessions(async (db) => {
      // What did arrive is kept even when the attempt then fails: nothing is lost.
      if (fetched.accepted.length || fetched.rejected.length) {
        const stored = await storeCandles(db, { ...series, source: deps.source.id, candles: fetched.accepted, rejected: fetched.rejected, now });
        result.written += stored.written;
        result.quarantined += stored.quarantined;
        result.replaced += stored.replaced;
      }
      if (!fetched.failure) return;
      result.failure = fetched.failure;
      result.error = fetched.failure.message;
      if (!fetched.failure.transient) {
        result.outcome = 'failed';
        return;
      }
      const newest = Math.max(lastAny?.timestamp ?? -Infinity, fetched.accepted[fetched.accepted.length - 1]?.timestamp ?? -Infinity);
      if (newest === -Infinity) {
        result.outcome = 'failed';
        result.error = `${fetched.failure.message}; no stored candle to continue from, so nothing was simulated`;
        return;
      }
      result.outcome = 'fallback';
      const missing = openTimes(newest, lastClosed, size, deps.maxSimulated ?? pageSize);
      if (!missing.length) return;
      const history = await readCandlesBefore(db, series, missing[0]!, SIMULATION_HISTORY);
      const seed = (seedFrom(`${series.symbol}|${series.timeframe}|${missing[0]}`) ^ (deps.seed ?? 0)) >>> 0;
      const candles = simulateCandles(history, missing, { timeframe: series.timeframe, seed });
      const stored = await storeCandles(db, { ...series, source: SIMULATED_SOURCE, candles, now });
      result.written += stored.written;
      result.simulated += candles.length - stored.keptReal;
    });
  } catch (error) {
    result.outcome = 'failed';
    result.error = `storing failed: ${(error as Error).message}`;
  }

  await deps.sessions((db) =>
    recordAttempt(db, {
      runId: deps.runId,
      source: deps.source.id,
      symbol: series.symbol,
      timeframe: series.timeframe,
      startedAt,
      finishedAt: Math.max(startedAt, (deps.now ?? Date.now)()),
      outcome: result.outcome as AttemptOutcome,
      rowsWritten: result.written,
      rowsSimulated: result.simulated,
      rowsQuarantined: result.quarantined,
      error: result.error,
    }),
  );
  return result;
}
