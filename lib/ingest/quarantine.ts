import type { Session } from '@/lib/db/sql';
import type { RejectedRow } from '@/lib/market/validate';

export interface QuarantineContext {
  source: string;
  symbol: string;
  timeframe: string;
  kind?: string;
}

/**
 * Keeps rejected rows with their payload and reason. The same bad row received again (same series,
 * time, rule and payload) is already there and is not added twice. Returns the rows newly kept.
 */
export async function quarantineRows(db: Session, context: QuarantineContext, rows: readonly RejectedRow[]): Promise<number> {
  if (!rows.length) return 0;
  const { rows: [result] } = await db.query<{ kept: number }>(
    `with kept as (
       insert into ingest_quarantine (kind, source, symbol, timeframe, timestamp, payload, rule, reason)
       select $1, $2, $3, $4, r.timestamp, r.payload, r.rule, r.reason
       from jsonb_to_recordset($5::jsonb) as r(timestamp timestamptz, payload jsonb, rule text, reason text)
       on conflict do nothing
       returning 1
     )
     select count(*)::int as kept from kept`,
    [
      context.kind ?? 'candles',
      context.source,
      context.symbol,
      context.timeframe,
      JSON.stringify(
        rows.map((row) => ({
          timestamp: row.timestamp === null ? null : new Date(row.timestamp).toISOString(),
          payload: row.payload ?? null,
          rule: row.rule,
          reason: row.reason,
        })),
      ),
    ],
  );
  return result!.kept;
}
