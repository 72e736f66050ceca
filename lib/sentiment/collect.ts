import type { Session } from '@/lib/db/sql';
import { recordAttempt, type AttemptOutcome } from '@/lib/ingest/attempts';
import { readCandles, type StoredCandle } from '@/lib/ingest/series';
import { inTransaction, type Sessions } from '@/lib/db/sql';
import { lastClosedOpenTime } from '@/lib/market/timeframe';
import { coinOf, COINS } from '@/lib/market/coin';
import { HOUR_MS } from '@/lib/market/time';
import type { SentimentSourceConfig } from './config';
import { dedupeDocuments, scoreDocument, type DocumentKind, type ScoredDocument } from './documents';
import {
  applicableFearGreed,
  candlesUsed,
  computeSentimentFeatures,
  DOCUMENT_WINDOW_HOURS,
  FEAR_GREED_MAX_AGE_MS,
  hourlyLevel,
  WHALE_BASELINE_HOURS,
  type SentimentSample,
} from './features';
import { fetchSentimentSources, type BreakerFor, type FetchedSources, type SentimentInput, type SourceFetch } from './fetch-sources';
import { simulateDocuments, simulateFearGreed } from './simulate';
import { volumeShareDominance } from './sources/dominance';
import { lastFearGreedBefore, readDocuments, readFearGreed, readStoredLevels, storeDocuments, storeDominance, storeFearGreed, upsertSentimentRow } from './store';
import { DomainError, type DomainErrorOptions } from '@/lib/errors';

/**
 * One sentiment collection: asks every source once, stores what they sent (deduplicated), and
 * writes one row per tracked symbol for the hour, each input real when its sources answered and
 * simulated (and listed as such) when they all failed. Every source's attempt is recorded in
 * collection_attempts with its outcome. Running it again for the same hour changes nothing.
 */
export interface SentimentCollectorDeps {
  sessions: Sessions;
  config: SentimentSourceConfig;
  now?: () => number;
  runId?: string | null;
  breakerFor?: BreakerFor;
  /** Mixed into simulation seeds. */
  seed?: number;
}

export interface CollectSentimentRequest {
  /** Market symbols as stored in ml_features_ohlcv, e.g. 'BTC/USDT'. */
  symbols: readonly string[];
  /** The hour to collect (start, unix ms); default the last hour that has ended. */
  hour?: number;
}

export interface SentimentRowResult {
  symbol: string;
  realInputs: string[];
  simulatedInputs: string[];
  written: boolean;
}

export interface SourceReport {
  source: string;
  input: SentimentInput;
  outcome: AttemptOutcome;
  rowsWritten: number;
  error?: string;
}

export interface CollectSentimentResult {
  hour: number;
  rows: SentimentRowResult[];
  sources: SourceReport[];
  /** Set when storing failed; nothing of this collection was stored then. */
  error?: string;
}

export class SentimentCollectionError extends DomainError {
  override name = 'SentimentCollectionError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

/** Attempts of market-wide sources are recorded under this symbol. */
export const MARKET_WIDE_SYMBOL = '*';
// A document dated later than this past the clock is a feed error, not news from the future.
const CLOCK_SKEW_MS = 5 * 60_000;
const FEAR_GREED_FETCH_DAYS = 10;

type Provenance = 'real' | 'simulated' | 'absent';

interface ScoredFetch {
  fetch: SourceFetch<unknown>;
  documents: ScoredDocument[];
  dropped: number;
}

function scoreFetched(fetched: FetchedSources, now: number): ScoredFetch[] {
  return fetched.documents.map((fetch) => {
    const fresh = (fetch.value ?? []).filter((d) => d.publishedAt <= now + CLOCK_SKEW_MS);
    const documents = fresh.map((d) => scoreDocument(d, COINS));
    return { fetch, documents, dropped: fetch.dropped + (fetch.value ?? []).length - fresh.length };
  });
}

function inputProvenance(fetches: readonly SourceFetch<unknown>[], input: DocumentKind): Provenance {
  const own = fetches.filter((f) => f.input === input);
  if (!own.length) return 'absent';
  return own.some((f) => !f.failure) ? 'real' : 'simulated';
}

interface Stored {
  rows: SentimentRowResult[];
  added: Map<string, number>;
  fearGreedWritten: number;
  provenance: Record<'fear_greed' | 'news' | 'social', Provenance>;
  dominance: { written: number; simulated: boolean } | null;
}

async function storeAndCompute(db: Session, deps: SentimentCollectorDeps, hour: number, symbols: readonly string[], fetched: FetchedSources, scored: ScoredFetch[], now: number): Promise<Stored> {
  const end = hour + HOUR_MS;
  const added = await storeDocuments(db, dedupeDocuments(scored.flatMap((s) => s.documents)), now);
  const fearGreedWritten = fetched.fearGreed.value ? await storeFearGreed(db, fetched.fearGreed.value, fetched.fearGreed.source, now) : 0;

  const fearGreedPoint = applicableFearGreed(await readFearGreed(db, end - FEAR_GREED_MAX_AGE_MS, end), hour);
  const fearGreed = fearGreedPoint?.value ?? simulateFearGreed(hour, await lastFearGreedBefore(db, end), deps.seed);
  const stored = await readDocuments(db, end - DOCUMENT_WINDOW_HOURS * HOUR_MS, end);
  const provenance = {
    fear_greed: fearGreedPoint ? 'real' : 'simulated',
    news: inputProvenance(fetched.documents, 'news'),
    social: inputProvenance(fetched.documents, 'social'),
  } satisfies Stored['provenance'];

  const coins = [...new Set(symbols.map(coinOf))];
  const documents: SentimentSample[] = [...stored];
  for (const kind of ['news', 'social'] as const) {
    if (provenance[kind] !== 'simulated') continue;
    const real = stored.filter((d) => d.kind === kind);
    const meanCompound = real.length ? real.reduce((sum, d) => sum + d.compound, 0) / real.length : null;
    documents.push(...simulateDocuments(kind, hour, coins, { meanCompound, countLastDay: real.length }, deps.seed));
  }

  const rows: SentimentRowResult[] = [];
  const candlesByCoin = new Map<string, StoredCandle[]>();
  for (const symbol of symbols) {
    const coin = coinOf(symbol);
    const candles = await readCandles(db, { symbol, timeframe: '1h' }, hour - (WHALE_BASELINE_HOURS + 1) * HOUR_MS, hour);
    candlesByCoin.set(coin, candles);
    // Earlier hours' levels as their rows stored them; the documents stand in only where none is stored.
    const storedLevels = await readStoredLevels(db, symbol, hour - (DOCUMENT_WINDOW_HOURS - 1) * HOUR_MS, hour - HOUR_MS);
    const features = computeSentimentFeatures({ hour, coin, fearGreed, documents, candles, storedLevels });
    const used = candlesUsed(candles, hour, features);
    const inputs: Record<string, Provenance> = { ...provenance, candles: used.length ? (used.some((c) => c.isSimulated) ? 'simulated' : 'real') : 'absent' };
    const realInputs = Object.keys(inputs).filter((k) => inputs[k] === 'real');
    const simulatedInputs = Object.keys(inputs).filter((k) => inputs[k] === 'simulated');
    const written = await upsertSentimentRow(db, { symbol, hour, features, level: hourlyLevel(stored, coin, hour), realInputs, simulatedInputs });
    rows.push({ symbol, realInputs, simulatedInputs, written });
  }

  let dominance: Stored['dominance'] = null;
  if (fetched.dominance.value !== undefined) {
    dominance = { written: await storeDominance(db, { hour, dominancePct: fetched.dominance.value, method: 'coingecko_market_cap', symbols: [], isSimulated: false }, now), simulated: false };
  } else {
    const value = volumeShareDominance(candlesByCoin, hour);
    if (value !== null) {
      const from = hour - DOCUMENT_WINDOW_HOURS * HOUR_MS;
      const simulated = [...candlesByCoin.values()].some((cs) => cs.some((c) => c.timestamp > from && c.isSimulated));
      const sample = { hour, dominancePct: value, method: 'tracked_volume_share' as const, symbols: [...symbols].sort(), isSimulated: simulated };
      dominance = { written: await storeDominance(db, sample, now), simulated };
    }
  }
  return { rows, added, fearGreedWritten, provenance, dominance };
}

function reportFor(fetch: SourceFetch<unknown>, stored: Stored | null, scored: ScoredFetch | undefined, symbols: number, storeError?: string): SourceReport & { rowsSimulated: number; rowsQuarantined: number } {
  const base = { source: fetch.source, input: fetch.input, rowsQuarantined: scored?.dropped ?? fetch.dropped };
  if (!stored) return { ...base, outcome: 'failed', rowsWritten: 0, rowsSimulated: 0, error: storeError ?? fetch.failure?.message };
  if (!fetch.failure) {
    const rowsWritten = fetch.input === 'fear_greed' ? stored.fearGreedWritten : fetch.input === 'dominance' ? (stored.dominance?.written ?? 0) : (stored.added.get(fetch.source) ?? 0);
    return { ...base, outcome: 'real', rowsWritten, rowsSimulated: 0 };
  }
  const error = fetch.failure.message;
  if (fetch.input === 'dominance') {
    if (!stored.dominance) return { ...base, outcome: 'failed', rowsWritten: 0, rowsSimulated: 0, error: `${error}; no tracked candles to compute it from` };
    return { ...base, outcome: 'fallback', rowsWritten: stored.dominance.written, rowsSimulated: stored.dominance.simulated ? stored.dominance.written : 0, error: `${error}; computed from the tracked symbols' volume instead` };
  }
  // Other sources of the same input (another feed, a stored value) may have kept it real.
  if (stored.provenance[fetch.input] === 'simulated') return { ...base, outcome: 'fallback', rowsWritten: 0, rowsSimulated: symbols, error };
  return { ...base, outcome: 'failed', rowsWritten: 0, rowsSimulated: 0, error: `${error}; the input stayed real from other sources` };
}

export async function collectSentiment(deps: SentimentCollectorDeps, request: CollectSentimentRequest): Promise<CollectSentimentResult> {
  const clock = deps.now ?? Date.now;
  const now = clock();
  const hour = request.hour ?? lastClosedOpenTime(now, '1h');
  if (hour % HOUR_MS !== 0) throw new SentimentCollectionError(`hour ${new Date(hour).toISOString()} is not the start of an hour`);
  if (hour + HOUR_MS > now) throw new SentimentCollectionError(`the hour ${new Date(hour).toISOString()} has not ended yet`);
  const symbols = [...new Set(request.symbols)];
  if (!symbols.length) throw new SentimentCollectionError('no symbols to collect sentiment for');

  const fetched = await fetchSentimentSources(deps.config, { now: clock, breakerFor: deps.breakerFor, fearGreedLimit: FEAR_GREED_FETCH_DAYS });
  const scored = scoreFetched(fetched, now);

  let stored: Stored | null = null;
  let error: string | undefined;
  try {
    stored = await deps.sessions((db) => inTransaction(db, () => storeAndCompute(db, deps, hour, symbols, fetched, scored, now)));
  } catch (cause) {
    error = `storing failed: ${cause instanceof Error ? cause.message : String(cause)}`;
  }

  const fetches: SourceFetch<unknown>[] = [fetched.fearGreed, fetched.dominance, ...fetched.documents];
  const reports = fetches.map((fetch) => reportFor(fetch, stored, scored.find((s) => s.fetch === fetch), symbols.length, error));
  await deps.sessions(async (db) => {
    for (const [i, r] of reports.entries()) {
      await recordAttempt(db, {
        runId: deps.runId,
        source: r.source,
        kind: r.input,
        symbol: MARKET_WIDE_SYMBOL,
        timeframe: null,
        startedAt: fetches[i]!.startedAt,
        finishedAt: fetches[i]!.finishedAt,
        outcome: r.outcome,
        rowsWritten: r.rowsWritten,
        rowsSimulated: r.rowsSimulated,
        rowsQuarantined: r.rowsQuarantined,
        error: r.error ?? null,
      });
    }
  });
  return {
    hour,
    rows: stored?.rows ?? [],
    sources: reports.map(({ source, input, outcome, rowsWritten, error: e }) => ({ source, input, outcome, rowsWritten, ...(e ? { error: e } : {}) })),
    ...(error ? { error } : {}),
  };
}
