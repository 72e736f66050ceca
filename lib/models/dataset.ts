import type { Pool, PoolClient } from 'pg';
import { labelSource } from '@/lib/labels/definitions';
import { timeframeMs } from '@/lib/market/timeframe';
import { MODEL_FEATURES, SENTIMENT_FEATURES } from './contract';

/**
 * A model's input rows for one series and time range, read point-in-time as the training-set export
 * does: the candle's features at t, the sentiment of the last hour that had ended when the candle
 * closed, and (when asked) the realized label for t. A row with a missing input (warm-up, no
 * sentiment yet) is kept with `complete = false`: it is not scored, rather than scored on a made-up value.
 */
export type Queryable = Pick<Pool | PoolClient, 'query'>;

export interface FeatureRows {
  timestamps: number[];
  /** In the order of the requested features; NaN where the stored value is null. */
  features: Float64Array[];
  complete: boolean[];
  simulated: boolean[];
  /** The realized label value, or null when none was generated (yet). */
  labels: (string | null)[];
}

export interface FeatureQuery {
  symbol: string;
  timeframe: string;
  features: readonly string[];
  from: Date;
  /** Exclusive. */
  to: Date;
  label?: { type: string; horizon: string };
}

const HOUR_MS = 3_600_000;

function column(feature: string): string {
  if (!MODEL_FEATURES.includes(feature)) throw new Error(`unknown feature ${feature}`);
  return SENTIMENT_FEATURES.has(feature) ? `s.${feature}` : `f.${feature}`;
}

export async function readFeatureRows(db: Queryable, q: FeatureQuery): Promise<FeatureRows> {
  const usesSentiment = q.features.some((f) => SENTIMENT_FEATURES.has(f));
  const params: unknown[] = [q.symbol, q.timeframe, q.from.toISOString(), q.to.toISOString()];
  let joins = '';
  let simulated = 'f.is_simulated';
  if (usesSentiment) {
    params.push(timeframeMs(q.timeframe));
    joins += `
      left join ml_features_sentiment s on s.symbol = f.symbol
        and s.timestamp = to_timestamp(floor((extract(epoch from f.timestamp) * 1000 + $${params.length}) / ${HOUR_MS}) * ${HOUR_MS / 1000}) - interval '1 hour'`;
    simulated += ' or coalesce(s.is_simulated, false)';
  }
  let label = 'null::text';
  if (q.label) {
    params.push(q.label.type, q.label.horizon, labelSource(q.timeframe));
    const n = params.length;
    joins += `
      left join ml_labels l on l.symbol = f.symbol and l.timestamp = f.timestamp
        and l.label_type = $${n - 2} and l.horizon = $${n - 1} and l.source = $${n}`;
    label = 'l.label_value';
  }
  const select = q.features.map((f, i) => `${column(f)}::float8 as v${i}`).join(', ');
  const { rows } = await db.query<Record<string, number | string | boolean | null>>({
    text: `select (extract(epoch from f.timestamp) * 1000)::float8 as ts, ${simulated} as simulated, ${label} as label${select ? `, ${select}` : ''}
      from ml_features_ohlcv f ${joins}
      where f.symbol = $1 and f.timeframe = $2 and f.timestamp >= $3 and f.timestamp < $4
      order by f.timestamp`,
    values: params,
  });
  const out: FeatureRows = { timestamps: [], features: [], complete: [], simulated: [], labels: [] };
  for (const row of rows) {
    const values = new Float64Array(q.features.length);
    let complete = true;
    for (let i = 0; i < q.features.length; i++) {
      const value = row[`v${i}`] as number | null;
      values[i] = value ?? Number.NaN;
      if (value === null || !Number.isFinite(value)) complete = false;
    }
    out.timestamps.push(row.ts as number);
    out.features.push(values);
    out.complete.push(complete);
    out.simulated.push(Boolean(row.simulated));
    out.labels.push(row.label as string | null);
  }
  return out;
}
