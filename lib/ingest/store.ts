import type { Session } from '@/lib/db/sql';
import { schemaMode } from '@/lib/db/info';
import { OHLCV_ROLLUPS, refreshRollupsForRange } from '@/lib/db/rollups';
import { FEATURE_COLUMNS, FEATURE_VERSION, OhlcvFeatureStream, RESTORE_HISTORY_CANDLES, type OhlcvFeatures } from '@/lib/features';
import type { Candle } from '@/lib/market/candle';
import { SIMULATED_SOURCE } from '@/lib/market/simulate';
import { timeframeMs } from '@/lib/market/timeframe';
import type { RejectedRow } from '@/lib/market/validate';
import { gapMarkers } from './gap-marker';
import { quarantineRows } from './quarantine';
import { readRows, readRowsBefore, type Series, type StoredRow } from './series';
import { inTransaction } from '@/lib/db/sql';
import { upsertOhlcvFeatures, type OhlcvFeatureRow } from './upsert';
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
  /**
   * The feature stream of the writer's previous batch, when this batch continues it directly (a
   * streaming import): used instead of one restored from stored history, so features are
   * bit-identical to a single pass over the whole file. It advances over this batch's rows.
   */
  stream?: OhlcvFeatureStream;
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

function unchanged(stored: StoredRow, row: OhlcvFeatureRow, featureVersion: string): boolean {
  const c = row.candle;
  return (
    stored.source === row.source &&
    stored.featureVersion === featureVersion &&
    stored.open === c.open &&
    stored.high === c.high &&
    stored.low === c.low &&
    stored.close === c.close &&
    stored.volume === c.volume &&
    stored.candlesSinceGap === (row.candlesSinceGap ?? null) &&
    FEATURE_COLUMNS.every((column) => close(stored.features[column], row.features[column]))
  );
}

interface Merged {
  candle: Candle;
  source: string;
  stored?: StoredRow;
}

/**
 * Stores candles of one series with their features, in one transaction: warm-up history and the
 * affected stored rows are read under a per-series lock, new candles are merged in (real replaces
 * simulated, simulated never replaces real), features are recomputed from the first changed candle
 * on, and only rows that differ are written. Rejected rows and replacements land in the same
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

    const history = request.stream ? [] : await readRowsBefore(db, request, start, warmupCandles(request.timeframe));
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
    const last = history[history.length - 1];
    const stream = request.stream ?? OhlcvFeatureStream.fromHistory(history, { obv: last?.features.obv });
    const changed: OhlcvFeatureRow[] = [];
    const markers = gapMarkers(history, ordered.map((item) => item.candle.timestamp), timeframeMs(request.timeframe));
    for (const [i, item] of ordered.entries()) {
      const features: OhlcvFeatures = stream.update(item.candle);
      const row = { candle: item.candle, features, source: item.source, candlesSinceGap: markers[i]! };
      if (!item.stored || !unchanged(item.stored, row, featureVersion)) changed.push(row);
    }

    const written = await upsertOhlcvFeatures(db, request, changed, { featureVersion });
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
    const range = changed.length ? { from: changed[0]!.candle.timestamp, to: changed[changed.length - 1]!.candle.timestamp } : null;
    return { written, replaced: replacements.length, keptReal, quarantined, range };
  });

  if (result.range && request.refreshRollups !== false) await refreshOldRollups(db, result.range, request.now);
  return result;
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
