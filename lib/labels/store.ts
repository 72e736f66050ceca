import { epochMs } from '@/lib/db/fragments';
import type { Session } from '@/lib/db/sql';
import type { ComputedLabel } from './compute';
import { LABEL_VERSION } from './definitions';

const COMPARED = ['label_value', 'label_confidence', 'future_timestamp', 'realized_return', 'source', 'is_simulated', 'label_version', 'spec_name', 'threshold_k', 'basket'];

/**
 * Upserts labels of one symbol and returns the times of those inserted or changed (their daily
 * count buckets are the ones to refresh). An unchanged label is
 * left alone (computed_at keeps meaning "the label changed"), and a label computed from another
 * candle series (another `source` timeframe) is never overwritten by this one.
 */
export async function upsertLabels(db: Session, symbol: string, source: string, labels: readonly ComputedLabel[]): Promise<number[]> {
  if (!labels.length) return [];
  const { rows } = await db.query<{ ts: number }>(
    `with written as (
       insert into ml_labels as stored (timestamp, symbol, label_type, horizon, label_value, label_confidence, future_timestamp,
         realized_return, source, is_simulated, label_version, spec_name, threshold_k, basket, computed_at)
       select to_timestamp(u.ts / 1000.0), $1, u.type, u.horizon, u.value, u.confidence, to_timestamp(u.future / 1000.0),
         u.realized, $2, u.simulated, $3, u.spec, u.threshold_k, string_to_array(u.basket, ','), now()
       from unnest($4::float8[], $5::text[], $6::text[], $7::text[], $8::float8[], $9::float8[], $10::float8[], $11::bool[],
                   $12::text[], $13::float8[], $14::text[])
         as u(ts, type, horizon, value, confidence, future, realized, simulated, spec, threshold_k, basket)
       on conflict (symbol, label_type, horizon, timestamp) do update set
         ${[...COMPARED, 'computed_at'].map((c) => `${c} = excluded.${c}`).join(', ')}
       where stored.source = excluded.source
         and (${COMPARED.map((c) => `stored.${c}`).join(', ')}) is distinct from (${COMPARED.map((c) => `excluded.${c}`).join(', ')})
       returning timestamp
     )
     select ${epochMs('timestamp')} as ts from written`,
    [
      symbol,
      source,
      LABEL_VERSION,
      labels.map((l) => l.timestamp),
      labels.map((l) => l.type),
      labels.map((l) => l.horizon),
      labels.map((l) => l.value),
      labels.map((l) => l.confidence),
      labels.map((l) => l.futureTimestamp),
      labels.map((l) => l.realizedReturn),
      labels.map((l) => l.isSimulated),
      labels.map((l) => l.spec),
      labels.map((l) => l.thresholdK),
      // One array per row does not fit unnest's flattening: a comma list, split back in SQL.
      labels.map((l) => (l.basket ? l.basket.join(',') : null)),
    ],
  );
  return rows.map((r) => r.ts);
}
