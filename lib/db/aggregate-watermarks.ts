import { epochMs } from './fragments';
import { schemaMode } from './info';
import type { Sql } from './sql';

/** A continuous aggregate's state as TimescaleDB's catalog tells it. */
export interface ContinuousAggregate {
  view: string;
  materializedOnly: boolean;
  /**
   * Everything before this is materialized; later buckets are computed at query time (real-time
   * aggregation). Null when nothing is materialized yet.
   */
  watermark: number | null;
}

const LIST = `select view_name as view, materialized_only as "materializedOnly", materialization_hypertable_schema as s, materialization_hypertable_name as n
  from timescaledb_information.continuous_aggregates where view_schema = current_schema() order by view_name`;

/**
 * The aggregates with their watermarks. The watermark functions are internal API (renamed across
 * versions): `known` is false when this server has none of them, and every watermark is then null.
 */
export async function continuousAggregates(db: Sql): Promise<{ aggregates: ContinuousAggregate[]; known: boolean }> {
  try {
    const { rows } = await db.query<ContinuousAggregate>(`
      select c.view, c."materializedOnly",
        -- An aggregate never refreshed has the lowest timestamp as its watermark (-4713-11-24): not a date.
        case when w.at > timestamptz '1970-01-01' then ${epochMs('w.at')} end as watermark
      from (${LIST}) c join _timescaledb_catalog.hypertable h on h.schema_name = c.s and h.table_name = c.n
      cross join lateral (select _timescaledb_functions.to_timestamp(_timescaledb_functions.cagg_watermark(h.id)) as at) w
      order by c.view`);
    return { aggregates: rows, known: true };
  } catch {
    const { rows } = await db.query<{ view: string; materializedOnly: boolean }>(LIST);
    return { aggregates: rows.map((r) => ({ view: r.view, materializedOnly: r.materializedOnly, watermark: null })), known: false };
  }
}

/** Up to where the candle rollups are materialized (epoch ms; -Infinity: nothing yet). */
export interface RollupWatermarks {
  hourly: number;
  daily: number;
}

/**
 * The candle rollups' watermarks in TimescaleDB mode; null where the rollups are plain tables kept
 * current by triggers (plain mode) or the server cannot say (then the views are read as they are).
 */
export async function rollupWatermarks(db: Sql): Promise<RollupWatermarks | null> {
  if ((await schemaMode(db)) !== 'timescale') return null;
  const { aggregates, known } = await continuousAggregates(db);
  if (!known) return null;
  const at = (view: string) => aggregates.find((a) => a.view === view)?.watermark ?? Number.NEGATIVE_INFINITY;
  return { hourly: at('ml_features_ohlcv_1h'), daily: at('ml_features_ohlcv_1d') };
}
