import type { Session } from '@/lib/db/sql';
import { schemaMode } from '@/lib/db/info';
import { DAY_MS, HOUR_MS } from '@/lib/market/time';
import { TIMEFRAMES, timeframeMs } from '@/lib/market/timeframe';
import type { UpsertOptions, UpsertPart } from './upsert';

/** Timeframes whose every hourly bucket holds exactly one candle. */
export const HOUR_OR_LONGER: readonly string[] = TIMEFRAMES.filter((t) => timeframeMs(t) % HOUR_MS === 0);

/**
 * Plain-mode rollups maintained from a batch, atomic with it (same transaction), instead of by
 * the per-statement triggers: the triggers are switched off for the batch's upsert, which writes
 * the hourly rows of hour-or-longer series itself (UpsertOptions.hourlyRollupTimeframes); then
 * the days those rows touch are recomputed once, and the hours shorter timeframes touched are
 * recomputed by the generic function (which does their days too). In TimescaleDB mode nothing
 * changes: its continuous aggregates follow the rows.
 */
export async function withBatchRollups<T>(db: Session, parts: readonly UpsertPart[], write: (options: UpsertOptions) => Promise<T>): Promise<T> {
  if ((await schemaMode(db)) !== 'plain') return write({});
  const { rows: [{ previous } = { previous: '' }] } = await db.query<{ previous: string }>("select coalesce(current_setting('ff.skip_rollups', true), '') as previous");
  await db.query("select set_config('ff.skip_rollups', 'on', true)");
  const result = await write({ hourlyRollupTimeframes: HOUR_OR_LONGER });
  const daily = { symbols: [] as string[], timeframes: [] as string[], at: [] as string[] };
  const hourly = { symbols: [] as string[], timeframes: [] as string[], at: [] as string[] };
  for (const { series, batch, indexes } of parts) {
    const long = HOUR_OR_LONGER.includes(series.timeframe);
    const size = long ? DAY_MS : HOUR_MS;
    const target = long ? daily : hourly;
    for (const bucket of new Set(indexes.map((i) => Math.floor(batch.candles.timestamp[i]! / size) * size))) {
      target.symbols.push(series.symbol);
      target.timeframes.push(series.timeframe);
      target.at.push(new Date(bucket).toISOString());
    }
  }
  if (daily.at.length) await db.query(recomputeOutsideCutoffs('ff_recompute_ohlcv_daily'), [daily.symbols, daily.timeframes, daily.at]);
  if (hourly.at.length) await db.query(recomputeOutsideCutoffs('ff_recompute_ohlcv_rollups'), [hourly.symbols, hourly.timeframes, hourly.at]);
  await db.query("select set_config('ff.skip_rollups', $1, true)", [previous]);
  return result;
}

/**
 * Calls a recompute for the given buckets except those on days before their timeframe's retention
 * cut-off: those aggregates outlive raw rows retention dropped, and recomputing them from the rows
 * left would shrink them (as the trigger of 0005 does).
 */
function recomputeOutsideCutoffs(fn: 'ff_recompute_ohlcv_daily' | 'ff_recompute_ohlcv_rollups'): string {
  return `select ${fn}(array_agg(k.symbol), array_agg(k.timeframe), array_agg(k.bucket))
    from unnest($1::text[], $2::text[], $3::timestamptz[]) as k(symbol, timeframe, bucket)
    where not exists (select 1 from retention_cutoffs c where c.timeframe = k.timeframe and date_trunc('day', k.bucket, 'UTC') < c.cutoff)
    having count(*) > 0`;
}
