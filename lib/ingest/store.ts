import type { Session } from '@/lib/db/sql';
import { schemaMode } from '@/lib/db/info';
import { OHLCV_ROLLUPS, refreshRollupsForRange } from '@/lib/db/rollups';
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
import { timeframeMs } from '@/lib/market/timeframe';
import type { RejectedRow } from '@/lib/market/validate';
import { gapMarkers } from './gap-marker';
import { quarantineRows } from './quarantine';
import { dropStaleCheckpoint, readEngineCheckpoint, writeEngineCheckpoint } from './engine-state';
import { readRows, readRowsBefore, type Series, type StoredRow } from './series';
import { inTransaction } from './session';
import { upsertFeatureColumns } from './upsert';
import { DAY_MS } from '@/lib/market/time';

export interface StoreCandlesRequest extends Series {
  /** Where the candles came from: an exchange id, a file's name, or 'simulated'. */
  source: string;
  /** Validated candles, ascending by open time, no duplicates. */
  candles: readonly Candle[];
  /** Rows validation rejected: quarantined in the same transaction. */
  rejected?: readonly RejectedRow[];
  /**
   * Whether stored candles after this batch get their features recomputed (default true). A
   * backfill that writes many batches before existing data defers it to one `recomputeFeatures`.
   */
  recomputeAfter?: boolean;
  /** Recompute stored features from this open time on, even where no candle changed. */
  recomputeFrom?: number;
  featureVersion?: string;
  /** Wall clock for deciding whether TimescaleDB rollups need an explicit refresh. */
  now?: number;
  /** Refresh TimescaleDB rollups of old ranges after commit (default true); a backfill does it once at the end. */
  refreshRollups?: boolean;
}

export interface StoreResult {
  /** Rows inserted or changed. */
  written: number;
  /** Simulated rows that real candles replaced (each recorded in simulated_replacements). */
  replaced: number;
  /** Simulated candles not stored because a real candle already holds that time. */
  keptReal: number;
  quarantined: number;
  /** Open times of the rows written, if any. */
  range: { from: number; to: number } | null;
}

/**
 * Features recomputed in a later run may differ from the stored ones in the last bits (a restored
 * stream replays 1,000 candles, not the whole series). Differences below this, relative to
 * max(1, |value|), are floating-point noise: such rows are not rewritten, so computed_at means
 * "the values changed", not "someone looked".
 */
export const FEATURE_TOLERANCE = 1e-9;

// Rollup refresh policies look back 3 days (hourly); older writes need an explicit refresh.
const ROLLUP_POLICY_REACH_MS = 2 * DAY_MS;

/** Candles to replay before a batch: enough for every indicator and for the whole UTC day (VWAP). */
export function warmupCandles(timeframe: string): number {
  return Math.max(RESTORE_HISTORY_CANDLES, Math.ceil(DAY_MS / timeframeMs(timeframe)) + 1);
}

function close(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= FEATURE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function unchanged(stored: StoredRow, item: Merged, features: FeatureColumnArrays, i: number, featureVersion: string): boolean {
  const c = item.candle;
  if (
    stored.source !== item.source ||
    stored.featureVersion !== featureVersion ||
    stored.open !== c.open ||
    stored.high !== c.high ||
    stored.low !== c.low ||
    stored.close !== c.close ||
    stored.volume !== c.volume
  ) {
    return false;
  }
  for (let f = 0; f < FEATURE_COLUMNS.length; f++) {
    const value = features[f]![i]!;
    if (!close(stored.features[FEATURE_COLUMNS[f]!], Number.isFinite(value) ? value : null)) return false;
  }
  return true;
}

/** True when the engine's latest values are (within FEATURE_TOLERANCE) the features stored for that candle. */
function matchesStored(engine: OhlcvFeatureEngine, stored: StoredRow): boolean {
  return FEATURE_COLUMNS.every((column, c) => {
    const value = engine.values[c]!;
    return close(stored.features[column], Number.isFinite(value) ? value : null);
  });
}

interface Merged {
  candle: Candle;
  source: string;
  stored?: StoredRow;
}

/**
 * Stores candles of one series with their features, in one transaction: under a per-series lock
 * the engine state before the batch is restored from the series' checkpoint (or rebuilt from
 * stored history), the affected stored rows are read, new candles are merged in (real replaces
 * simulated, simulated never replaces real), features are computed on the column kernel from the
 * first changed candle on, only rows that differ are written, and the checkpoint moves to the
 * newest candle. Rejected rows and replacements land in the same
 * transaction. In TimescaleDB mode the rollups of old ranges are refreshed after commit.
 */
export async function storeCandles(db: Session, request: StoreCandlesRequest): Promise<StoreResult> {
  const featureVersion = request.featureVersion ?? FEATURE_VERSION;
  const simulated = request.source === SIMULATED_SOURCE;
  const candles = request.candles;
  const firstNew = candles[0]?.timestamp;
  const start = Math.min(firstNew ?? Infinity, request.recomputeFrom ?? Infinity);

  const result = await inTransaction(db, async (): Promise<StoreResult> => {
    const quarantined = await quarantineRows(db, { source: request.source, symbol: request.symbol, timeframe: request.timeframe }, request.rejected ?? []);
    const empty = { written: 0, replaced: 0, keptReal: 0, quarantined, range: null };
    if (start === Infinity) return empty;
    // Writers of the same series queue here, so the rows read below are still current when written.
    await db.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`ff_series:${request.symbol}:${request.timeframe}`]);

    const { engine, previous } = await engineBefore(db, request, start, featureVersion);
    const lastNew = candles[candles.length - 1]?.timestamp;
    const until = request.recomputeAfter === false && lastNew !== undefined ? lastNew : undefined;
    const stored = await readRows(db, request, start, until);

    const merged = new Map<number, Merged>();
    for (const row of stored) merged.set(row.timestamp, { candle: row, source: row.source, stored: row });
    const replacements: { timestamp: number; simulatedClose: number; realClose: number }[] = [];
    let keptReal = 0;
    for (const candle of candles) {
      const existing = merged.get(candle.timestamp)?.stored;
      if (existing && !existing.isSimulated && simulated) {
        keptReal += 1;
        continue;
      }
      if (existing?.isSimulated && !simulated) replacements.push({ timestamp: candle.timestamp, simulatedClose: existing.close, realClose: candle.close });
      merged.set(candle.timestamp, { candle, source: request.source, stored: existing });
    }

    const ordered = [...merged.values()].sort((a, b) => a.candle.timestamp - b.candle.timestamp);
    const input = toCandleColumns(ordered.map((item) => item.candle));
    const features = allocateFeatureColumns(ordered.length);
    runFeatureColumns(engine, input, features);
    const changed: number[] = [];
    ordered.forEach((item, i) => {
      if (!item.stored || !unchanged(item.stored, item, features, i, featureVersion)) changed.push(i);
    });

    const batch = { candles: input, features, sources: ordered.map((item) => item.source) };
    const written = await upsertFeatureColumns(db, request, batch, changed, { featureVersion });
    // The engine now holds the state after the series' newest candle, unless later stored rows
    // were left out of this batch (recomputeAfter: false): then no checkpoint is valid after start.
    const reachedEnd = until === undefined && ordered.length > 0;
    if (reachedEnd) await writeEngineCheckpoint(db, request, featureVersion, saveEngineState(engine));
    else if (ordered.length > 0 || previous) await dropStaleCheckpoint(db, request, start);
    if (replacements.length) {
      await db.query(
        `insert into simulated_replacements (symbol, timeframe, timestamp, replaced_by, simulated_close, real_close)
         select $1, $2, r.timestamp, $3, r.simulated_close, r.real_close
         from unnest($4::timestamptz[], $5::float8[], $6::float8[]) as r(timestamp, simulated_close, real_close)`,
        [
          request.symbol,
          request.timeframe,
          request.source,
          replacements.map((r) => new Date(r.timestamp).toISOString()),
          replacements.map((r) => r.simulatedClose),
          replacements.map((r) => r.realClose),
        ],
      );
    }
    const range = changed.length ? { from: input.timestamp[changed[0]!]!, to: input.timestamp[changed[changed.length - 1]!]! } : null;
    return { written, replaced: replacements.length, keptReal, quarantined, range };
  });

  if (result.range && request.refreshRollups !== false) await refreshOldRollups(db, result.range, request.now);
  return result;
}

/**
 * The engine state just before `start`: the series' checkpoint when it was taken at the last
 * stored candle before `start` and still matches that row (one small read), otherwise rebuilt by
 * replaying the stored warm-up history (and the checkpoint is rewritten at the end of the batch).
 */
async function engineBefore(
  db: SqlExecutor,
  series: Series,
  start: number,
  featureVersion: string,
): Promise<{ engine: OhlcvFeatureEngine; previous: StoredRow | undefined }> {
  const [checkpoint, [previous]] = await Promise.all([readEngineCheckpoint(db, series), readRowsBefore(db, series, start, 1)]);
  if (!previous) return { engine: new OhlcvFeatureEngine(), previous };
  if (checkpoint && checkpoint.featureVersion === featureVersion && checkpoint.lastTimestamp === previous.timestamp) {
    const restored = restoreEngineState(checkpoint);
    if (restored && matchesStored(restored, previous)) return { engine: restored, previous };
  }
  const history = await readRowsBefore(db, series, start, warmupCandles(series.timeframe));
  const engine = new OhlcvFeatureEngine();
  runFeatureColumns(engine, toCandleColumns(history), allocateFeatureColumns(history.length));
  // OBV is a running total since the first candle ever: continue from the stored level.
  const obv = previous.features.obv;
  if (obv != null) engine.continueObvFrom(obv);
  return { engine, previous };
}

/**
 * TimescaleDB's refresh policies only look a few days back: rows written further back need an
 * explicit refresh, outside any transaction. Plain mode's triggers already did it (no-op there).
 */
export async function refreshOldRollups(db: Session, range: { from: number; to: number }, now = Date.now()): Promise<void> {
  if (range.from >= now - ROLLUP_POLICY_REACH_MS) return;
  const mode = await schemaMode(db);
  if (mode !== 'timescale') return;
  // A refresh rebuilds every timeframe's buckets in its window: it starts after the days where a
  // timeframe has aggregates of raw rows retention dropped, so none of them shrinks.
  const { rows: [guard] } = await db.query<{ after: Date | null }>(
    `select max(c.cutoff) as after from retention_cutoffs c
     where c.cutoff > $1 and exists (
       select 1 from ml_features_ohlcv_1d a where a.timeframe = c.timeframe and a.bucket >= date_trunc('day', $1::timestamptz, 'UTC') and a.bucket <= $2 and a.bucket < c.cutoff
     )`,
    [new Date(range.from), new Date(range.to)],
  );
  const from = guard?.after ? Math.max(range.from, Date.UTC(guard.after.getUTCFullYear(), guard.after.getUTCMonth(), guard.after.getUTCDate() + 1)) : range.from;
  if (from <= range.to) await refreshRollupsForRange(db, mode, OHLCV_ROLLUPS, new Date(from), new Date(range.to));
}

/** Recomputes the stored features of a series from `from` on (after a deferred backfill). */
export function recomputeFeatures(db: Session, series: Series, from: number, featureVersion?: string): Promise<StoreResult> {
  // No new candles: `source` names no row, stored rows keep their own.
  return storeCandles(db, { ...series, source: 'recompute', candles: [], recomputeFrom: from, featureVersion });
}
