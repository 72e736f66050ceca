import type { Session } from '@/lib/db/sql';
import {
  allocateFeatureColumns,
  FEATURE_COLUMNS,
  FEATURE_VERSION,
  OhlcvFeatureEngine,
  RESTORE_HISTORY_CANDLES,
  restoreEngineState,
  runFeatureColumns,
  saveEngineState,
  toCandleColumns,
  type FeatureColumnArrays,
} from '@/lib/features';
import type { Candle } from '@/lib/market/candle';
import { SIMULATED_SOURCE } from '@/lib/market/simulate';
import { DAY_MS } from '@/lib/market/time';
import { timeframeMs } from '@/lib/market/timeframe';
import { gapMarkers, type MarkedCandle } from './gap-marker';
import { quarantineRows } from './quarantine';
import { withBatchRollups } from './rollups-batch';
import { readRowsBefore, type Series, type StoredCandle, type StoredRow } from './series';
import { dropStaleCheckpoints, readCandlesFrom, readCheckpoints, readRowsFrom, readRowsJustBefore, writeCheckpoints, type SeriesRange, type StoredCheckpoint } from './series-batch';
import type { StoreCandlesRequest, StoreResult } from './store';
import { upsertFeatureColumns, type UpsertPart } from './upsert';

/**
 * Features recomputed in a later run may differ from the stored ones in the last bits (a state
 * rebuilt from 1,000 candles, not the whole series). Differences below this, relative to
 * max(1, |value|), are floating-point noise: such rows are not rewritten, so computed_at means
 * "the values changed", not "someone looked".
 */
export const FEATURE_TOLERANCE = 1e-9;

/** Candles to replay when a state must be rebuilt: enough for every indicator and the whole UTC day (VWAP). */
export function warmupCandles(timeframe: string): number {
  return Math.max(RESTORE_HISTORY_CANDLES, Math.ceil(DAY_MS / timeframeMs(timeframe)) + 1);
}

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= FEATURE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

const valueOrNull = (value: number) => (Number.isFinite(value) ? value : null);

function featuresMatch(stored: StoredRow, features: ArrayLike<number>): boolean {
  for (let f = 0; f < FEATURE_COLUMNS.length; f++) if (!close(stored.features[FEATURE_COLUMNS[f]!], valueOrNull(features[f]!))) return false;
  return true;
}

interface Merged {
  candle: Candle;
  source: string;
  stored?: StoredRow;
}

function unchanged(item: Merged, features: FeatureColumnArrays, i: number, featureVersion: string, candlesSinceGap: number): boolean {
  const { stored, candle: c } = item;
  if (!stored || stored.source !== item.source || stored.featureVersion !== featureVersion || stored.candlesSinceGap !== candlesSinceGap) return false;
  if (stored.open !== c.open || stored.high !== c.high || stored.low !== c.low || stored.close !== c.close || stored.volume !== c.volume) return false;
  return featuresMatch(stored, features.map((column) => column[i]!));
}

/** One series of a multi-series store, from its request to what it writes. */
interface Plan {
  request: StoreCandlesRequest;
  featureVersion: string;
  range: SeriesRange;
  quarantined: number;
  previous?: StoredRow;
  checkpoint?: StoredCheckpoint;
  stored: StoredRow[];
}

/**
 * Stores candles of many series with their features in the caller's transaction, with a fixed
 * number of statements whatever the number of series: per-series locks (in one sorted statement,
 * so concurrent writers cannot deadlock), checkpoints, the row before each batch and the stored
 * rows it affects are each read once for all series; each series' engine continues from its
 * checkpoint (rebuilt from stored history only when it is missing or stale: one read per such
 * series); all changed rows are written in one upsert and all checkpoints in one statement.
 * Per series: real replaces simulated, simulated never replaces real, only rows that differ are
 * written, rejected rows are quarantined.
 */
export async function storeCandleBatches(db: Session, requests: readonly StoreCandlesRequest[]): Promise<StoreResult[]> {
  const plans: Plan[] = [];
  const results: StoreResult[] = [];
  for (const request of requests) {
    const quarantined = await quarantineRows(db, { source: request.source, symbol: request.symbol, timeframe: request.timeframe }, request.rejected ?? []);
    results.push({ written: 0, replaced: 0, keptReal: 0, quarantined, range: null });
    const from = Math.min(request.candles[0]?.timestamp ?? Infinity, request.recomputeFrom ?? Infinity);
    if (from === Infinity) continue;
    const lastNew = request.candles[request.candles.length - 1]?.timestamp;
    const until = request.recomputeAfter === false && lastNew !== undefined ? lastNew : undefined;
    plans.push({ request, featureVersion: request.featureVersion ?? FEATURE_VERSION, range: { symbol: request.symbol, timeframe: request.timeframe, from, until }, quarantined, stored: [] });
  }
  if (!plans.length) return results;
  const keys = plans.map((p) => `ff_series:${p.request.symbol}:${p.request.timeframe}`);
  if (new Set(keys).size !== keys.length) throw new Error('storeCandleBatches: each series may appear only once per batch');

  // Writers of the same series queue here, so the rows read below are still current when written.
  await db.query('select pg_advisory_xact_lock(hashtextextended(k, 0)) from (select k from unnest($1::text[]) as k order by k) sorted', [keys]);
  // Candles first (no features): a re-run's leading unchanged candles are skipped before any
  // feature is read or computed; then the rows each remaining batch needs, from where it starts.
  const storedCandles = await readCandlesFrom(db, plans.map((p) => p.range));
  const work = plans.filter((plan, i) => skipUnchangedStart(plan, storedCandles[i]!));
  const ranges = work.map((p) => p.range);
  const [checkpoints, previous, stored] = ranges.length
    ? [await readCheckpoints(db, ranges), await readRowsJustBefore(db, ranges), await readRowsFrom(db, ranges)]
    : [[], [], []];
  work.forEach((plan, i) => Object.assign(plan, { checkpoint: checkpoints[i], previous: previous[i], stored: stored[i] }));

  const parts: UpsertPart[] = [];
  const checkpointsToWrite: (Series & StoredCheckpoint)[] = [];
  const staleFrom: SeriesRange[] = [];
  const replacements: { plan: Plan; timestamp: number; simulatedClose: number; realClose: number }[] = [];
  const outcome = new Map<Plan, { part: UpsertPart; keptReal: number; replaced: number }>();
  for (const plan of work) {
    const { engine, history } = await engineBefore(db, plan);
    const { ordered, keptReal, replaced } = merge(plan, replacements);
    const candles = toCandleColumns(ordered.map((item) => item.candle));
    const features = allocateFeatureColumns(ordered.length);
    runFeatureColumns(engine, candles, features);
    const markers = gapMarkers(history, ordered.map((item) => item.candle.timestamp), timeframeMs(plan.range.timeframe));
    const changed: number[] = [];
    ordered.forEach((item, i) => {
      if (!unchanged(item, features, i, plan.featureVersion, markers[i]!)) changed.push(i);
    });
    const batch = { candles, features, sources: ordered.map((item) => item.source), candlesSinceGap: Float64Array.from(markers) };
    const part = { series: plan.range, batch, indexes: changed };
    parts.push(part);
    outcome.set(plan, { part, keptReal, replaced });
    // The engine now holds the state after the series' newest candle, unless later stored rows
    // were left out of this batch (recomputeAfter: false): then no checkpoint after `from` is valid.
    // A batched import reads only up to its last candle, and that is the newest when nothing is
    // stored after it: its checkpoint lets the next batch continue exactly, as one pass would.
    const newest = plan.range.until === undefined || !(await storedAfter(db, plan.range, plan.range.until));
    if (newest && ordered.length > 0) {
      checkpointsToWrite.push({ symbol: plan.range.symbol, timeframe: plan.range.timeframe, featureVersion: plan.featureVersion, ...saveEngineState(engine) });
    } else if (plan.checkpoint) staleFrom.push(plan.range);
  }

  const written = await writeParts(db, parts, work);
  await writeCheckpoints(db, checkpointsToWrite);
  await dropStaleCheckpoints(db, staleFrom);
  await recordReplacements(db, replacements);
  work.forEach((plan, p) => {
    const { part, keptReal, replaced } = outcome.get(plan)!;
    const { indexes, batch } = part;
    const range = indexes.length ? { from: batch.candles.timestamp[indexes[0]!]!, to: batch.candles.timestamp[indexes[indexes.length - 1]!]! } : null;
    results[requests.indexOf(plan.request)] = { written: written[p]!, replaced, keptReal, quarantined: plan.quarantined, range };
  });
  return results;
}

/**
 * A re-run sends candles that are stored already: the leading ones identical to their stored rows
 * (same values, source and feature version) change nothing, so the batch starts at the first that
 * differs, continuing from the stored row before it; false when none differs (nothing to do).
 * A forced recompute (recomputeFrom) is never shortened.
 */
function skipUnchangedStart(plan: Plan, storedCandles: readonly (StoredCandle & { featureVersion: string })[]): boolean {
  const { request, featureVersion } = plan;
  if (request.recomputeFrom !== undefined) return true;
  const stored = new Map(storedCandles.map((row) => [row.timestamp, row]));
  let k = 0;
  for (; k < request.candles.length; k++) {
    const c = request.candles[k]!;
    const s = stored.get(c.timestamp);
    const same = s && s.source === request.source && s.featureVersion === featureVersion && s.open === c.open && s.high === c.high && s.low === c.low && s.close === c.close && s.volume === c.volume;
    if (!same) break;
  }
  if (k === request.candles.length) return false;
  if (k > 0) plan.range = { ...plan.range, from: request.candles[k]!.timestamp };
  return true;
}

/** The stored rows of the range with the request's candles merged in, oldest first. */
function merge(plan: Plan, replacements: { plan: Plan; timestamp: number; simulatedClose: number; realClose: number }[]) {
  const { request } = plan;
  const simulated = request.source === SIMULATED_SOURCE;
  const merged = new Map<number, Merged>();
  for (const row of plan.stored) merged.set(row.timestamp, { candle: row, source: row.source, stored: row });
  let keptReal = 0;
  let replaced = 0;
  for (const candle of request.candles) {
    if (candle.timestamp < plan.range.from) continue; // unchanged, see skipUnchangedStart
    const existing = merged.get(candle.timestamp)?.stored;
    if (existing && !existing.isSimulated && simulated) {
      keptReal += 1;
      continue;
    }
    if (existing?.isSimulated && !simulated) {
      replacements.push({ plan, timestamp: candle.timestamp, simulatedClose: existing.close, realClose: candle.close });
      replaced += 1;
    }
    merged.set(candle.timestamp, { candle, source: request.source, stored: existing });
  }
  return { ordered: [...merged.values()].sort((a, b) => a.candle.timestamp - b.candle.timestamp), keptReal, replaced };
}

/**
 * One upsert for every series sharing a feature version (normally all), with the plain-mode
 * rollups maintained from the batch (./rollups-batch.ts); rows written per plan.
 */
async function writeParts(db: Session, parts: UpsertPart[], plans: Plan[]): Promise<number[]> {
  const written = plans.map(() => 0);
  const changed = parts.filter((part) => part.indexes.length > 0);
  if (!changed.length) return written;
  await withBatchRollups(db, changed, async (options) => {
    for (const version of new Set(plans.map((p) => p.featureVersion))) {
      const chosen = plans.map((_, i) => i).filter((i) => plans[i]!.featureVersion === version && parts[i]!.indexes.length > 0);
      if (!chosen.length) continue;
      const counts = await upsertFeatureColumns(db, chosen.map((i) => parts[i]!), { ...options, featureVersion: version });
      chosen.forEach((i, k) => (written[i] = counts[k]!));
    }
  });
  return written;
}

async function storedAfter(db: Session, series: Series, timestamp: number): Promise<boolean> {
  const { rows } = await db.query<{ later: boolean }>(
    'select exists (select 1 from ml_features_ohlcv where symbol = $1 and timeframe = $2 and timestamp > $3) as later',
    [series.symbol, series.timeframe, new Date(timestamp).toISOString()],
  );
  return rows[0]!.later;
}

/**
 * The plan's engine state just before its range: its checkpoint when that was taken at the row
 * just before and still matches it, else rebuilt by replaying stored warm-up history.
 */
async function engineBefore(db: Session, plan: Plan): Promise<{ engine: OhlcvFeatureEngine; history: readonly MarkedCandle[] }> {
  const { previous, checkpoint, featureVersion, range } = plan;
  if (!previous) return { engine: new OhlcvFeatureEngine(), history: [] };
  if (checkpoint && checkpoint.featureVersion === featureVersion && checkpoint.lastTimestamp === previous.timestamp) {
    const restored = restoreEngineState(checkpoint);
    if (restored && featuresMatch(previous, restored.values)) return { engine: restored, history: [previous] };
  }
  const history = await readRowsBefore(db, range, range.from, warmupCandles(range.timeframe));
  const engine = new OhlcvFeatureEngine();
  runFeatureColumns(engine, toCandleColumns(history), allocateFeatureColumns(history.length));
  // OBV is a running total since the first candle ever: continue from the stored level.
  if (previous.features.obv != null) engine.continueObvFrom(previous.features.obv);
  return { engine, history };
}

async function recordReplacements(db: Session, replacements: { plan: Plan; timestamp: number; simulatedClose: number; realClose: number }[]): Promise<void> {
  if (!replacements.length) return;
  await db.query(
    `insert into simulated_replacements (symbol, timeframe, timestamp, replaced_by, simulated_close, real_close)
     select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::float8[], $6::float8[])`,
    [
      replacements.map((r) => r.plan.request.symbol),
      replacements.map((r) => r.plan.request.timeframe),
      replacements.map((r) => new Date(r.timestamp).toISOString()),
      replacements.map((r) => r.plan.request.source),
      replacements.map((r) => r.simulatedClose),
      replacements.map((r) => r.realClose),
    ],
  );
}
