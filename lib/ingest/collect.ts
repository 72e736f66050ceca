import type { Candle } from '@/lib/market/candle';
import type { CircuitBreaker } from '@/lib/market/circuit-breaker';
import { DEFAULT_PAGE_SIZE } from '@/lib/market/defaults';
import { fetchCandlePages } from '@/lib/market/pages';
import { seedFrom } from '@/lib/market/random';
import { SIMULATED_SOURCE, simulateCandles } from '@/lib/market/simulate';
import { SourceError, type CandleSource } from '@/lib/market/source';
import { lastClosedOpenTime, timeframeMs } from '@/lib/market/timeframe';
import { validateCandles, type RejectedRow } from '@/lib/market/validate';
import pLimit from 'p-limit';
import { summarizeGaps, type GapSummary } from './gap-report';
import { recordAttempts, type AttemptOutcome, type CollectionAttempt } from './attempts';
import { readCandlesBefore, type Series, type StoredCandle } from './series';
import { readLastCandles } from './series-batch';
import { inTransaction, type Sessions } from '@/lib/db/sql';
import { refreshOldRollups, storeCandleBatches, storeCandles, type StoreCandlesRequest, type StoreResult } from './store';

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
  /**
   * Requests in flight to the source at once in a multi-series cycle (default 8). ccxt's own
   * throttle (enableRateLimit) still spaces them to the exchange's limit.
   */
  concurrency?: number;
}

/** A series to collect, with the run it belongs to (if any). */
export interface CollectItem extends Series {
  runId?: string | null;
}

export const DEFAULT_COLLECT_CONCURRENCY = 8;

export interface CollectResult {
  /** `idle`: nothing had closed since the last stored candle, so nothing was asked or recorded. */
  outcome: AttemptOutcome | 'idle';
  written: number;
  simulated: number;
  quarantined: number;
  replaced: number;
  /** Missing candles between the last stored real one and what the source sent, and within it. */
  gaps: GapSummary;
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

/** One collection attempt for one series (see collectCandleSeries). */
export async function collectCandles(deps: CollectorDeps, series: Series): Promise<CollectResult> {
  const [result] = await collectCandleSeries(deps, [{ ...series, runId: deps.runId }]);
  return result!;
}

interface Attempt {
  item: CollectItem;
  result: CollectResult;
  startedAt: number;
  lastClosed: number;
  lastAny: StoredCandle | null;
  /** The stored candle the request continues from (the last real one, else the last of any kind). */
  continuesFrom: StoredCandle | null;
  fetched?: Fetched;
}

/**
 * One collection cycle over many series. For each: asks the source for every closed candle after
 * the last stored real one (so simulated stand-ins get replaced), validates, stores candles with
 * features and quarantines rejects; when the source fails transiently, simulated candles continue
 * the series up to the last closed candle instead. Every attempt is recorded with its outcome.
 *
 * The database work is batched across series: one read of every series' last candles, one
 * transaction storing every answer (storeCandleBatches: a fixed number of statements), one for
 * the simulated stand-ins, one insert of all attempts. Requests run `concurrency` at a time.
 * If the shared transaction fails, each series is stored on its own, so one bad series cannot
 * keep the others' candles out.
 */
export async function collectCandleSeries(deps: CollectorDeps, items: readonly CollectItem[]): Promise<CollectResult[]> {
  const clock = deps.now ?? Date.now;
  const now = clock();
  const pageSize = deps.pageSize ?? DEFAULT_PAGE_SIZE;
  const lasts = items.length ? await deps.sessions((db) => readLastCandles(db, items)) : [];
  const attempts: Attempt[] = items.map((item, i) => ({
    item,
    startedAt: now,
    lastClosed: lastClosedOpenTime(now, item.timeframe),
    lastAny: lasts[i]!.lastAny,
    continuesFrom: lasts[i]!.lastReal ?? lasts[i]!.lastAny,
    result: { outcome: 'real', written: 0, simulated: 0, quarantined: 0, replaced: 0, gaps: summarizeGaps([], item.timeframe) },
  }));

  const limit = pLimit(deps.concurrency ?? DEFAULT_COLLECT_CONCURRENCY);
  await Promise.all(
    attempts.map((attempt, i) => {
      const size = timeframeMs(attempt.item.timeframe);
      const { lastReal, lastAny } = lasts[i]!;
      // An empty series starts with one page of recent history; `backfill` reaches further back.
      const since = lastReal ? lastReal.timestamp + size : lastAny ? lastAny.timestamp + size : attempt.lastClosed - (pageSize - 1) * size;
      if (since > attempt.lastClosed) {
        attempt.result.outcome = 'idle';
        return undefined;
      }
      return limit(async () => {
        attempt.fetched = await fetchMissing(deps, attempt.item, since, attempt.lastClosed, lastReal ?? undefined, now);
      });
    }),
  );
  const active = attempts.filter((a) => a.fetched);
  for (const a of active) {
    const received = a.fetched!.accepted.map((c) => c.timestamp);
    if (received.length) a.result.gaps = summarizeGaps(a.continuesFrom ? [a.continuesFrom.timestamp, ...received] : received, a.item.timeframe);
  }

  // What did arrive is kept even when the attempt then fails: nothing is lost.
  const answered = active.filter((a) => a.fetched!.accepted.length || a.fetched!.rejected.length);
  await storeEach(deps, answered, (a) => ({ ...a.item, source: deps.source.id, candles: a.fetched!.accepted, rejected: a.fetched!.rejected, now }), (a, stored) => {
    a.result.written += stored.written;
    a.result.quarantined += stored.quarantined;
    a.result.replaced += stored.replaced;
  });

  const simulate: { attempt: Attempt; candles: Candle[] }[] = [];
  for (const attempt of active) {
    const { fetched, result } = attempt;
    if (!fetched!.failure || result.outcome === 'failed') continue;
    result.failure = fetched!.failure;
    result.error = fetched!.failure.message;
    if (!fetched!.failure.transient) {
      result.outcome = 'failed';
      continue;
    }
    const newest = Math.max(attempt.lastAny?.timestamp ?? -Infinity, fetched!.accepted[fetched!.accepted.length - 1]?.timestamp ?? -Infinity);
    if (newest === -Infinity) {
      result.outcome = 'failed';
      result.error = `${fetched!.failure.message}; no stored candle to continue from, so nothing was simulated`;
      continue;
    }
    result.outcome = 'fallback';
    const missing = openTimes(newest, attempt.lastClosed, timeframeMs(attempt.item.timeframe), deps.maxSimulated ?? pageSize);
    if (!missing.length) continue;
    const history = await deps.sessions((db) => readCandlesBefore(db, attempt.item, missing[0]!, SIMULATION_HISTORY));
    const seed = (seedFrom(`${attempt.item.symbol}|${attempt.item.timeframe}|${missing[0]}`) ^ (deps.seed ?? 0)) >>> 0;
    simulate.push({ attempt, candles: simulateCandles(history, missing, { timeframe: attempt.item.timeframe, seed }) });
  }
  const byAttempt = new Map(simulate.map((s) => [s.attempt, s.candles]));
  await storeEach(deps, simulate.map((s) => s.attempt), (a) => ({ ...a.item, source: SIMULATED_SOURCE, candles: byAttempt.get(a)!, now }), (a, stored) => {
    a.result.written += stored.written;
    a.result.simulated += byAttempt.get(a)!.length - stored.keptReal;
  });

  const finishedAt = Math.max(now, clock());
  const recorded: CollectionAttempt[] = attempts
    .filter((a) => a.result.outcome !== 'idle')
    .map(({ item, result, startedAt }) => ({
      runId: item.runId,
      source: deps.source.id,
      symbol: item.symbol,
      timeframe: item.timeframe,
      startedAt,
      finishedAt,
      outcome: result.outcome as AttemptOutcome,
      rowsWritten: result.written,
      rowsSimulated: result.simulated,
      rowsQuarantined: result.quarantined,
      error: result.error,
    }));
  await deps.sessions((db) => recordAttempts(db, recorded));
  return attempts.map((a) => a.result);
}

/**
 * Stores one request per attempt in one shared transaction; if that fails, each on its own, and
 * an attempt whose own store fails is marked failed with the reason.
 */
async function storeEach(
  deps: CollectorDeps,
  attempts: readonly Attempt[],
  request: (attempt: Attempt) => StoreCandlesRequest,
  apply: (attempt: Attempt, stored: StoreResult) => void,
): Promise<void> {
  if (!attempts.length) return;
  const requests = attempts.map(request);
  const together = await deps
    .sessions((db) => inTransaction(db, () => storeCandleBatches(db, requests)))
    .catch(() => null);
  for (let i = 0; i < attempts.length; i++) {
    const attempt = attempts[i]!;
    try {
      const stored = together ? together[i]! : await deps.sessions((db) => storeCandles(db, requests[i]!));
      if (together && stored.range) await deps.sessions((db) => refreshOldRollups(db, stored.range!, requests[i]!.now));
      apply(attempt, stored);
    } catch (error) {
      attempt.result.outcome = 'failed';
      attempt.result.error = `storing failed: ${(error as Error).message}`;
    }
  }
}
