import 'server-only';
import { epochMs, toIso, type Db } from '../db';
import { daysBefore } from '@/lib/market/time';

export interface QuarantinedRow {
  id: number;
  receivedAt: number;
  kind: string;
  source: string;
  symbol: string;
  timeframe: string | null;
  timestamp: number | null;
  rule: string;
  reason: string;
  payload: unknown;
}

export interface QuarantinePage {
  rows: QuarantinedRow[];
  page: number;
  pageSize: number;
  total: number;
  pages: number;
}

export interface QuarantineFilter {
  page: number;
  pageSize: number;
  source?: string;
  symbol?: string;
  rule?: string;
}

/** Rows validation rejected, newest first, a page at a time (the table only grows). */
export async function listQuarantine(db: Db, filter: QuarantineFilter): Promise<QuarantinePage> {
  const where = `($1::text is null or source = $1) and ($2::text is null or symbol = $2) and ($3::text is null or rule = $3)`;
  const params = [filter.source ?? null, filter.symbol ?? null, filter.rule ?? null];
  const [{ rows }, { rows: count }] = await Promise.all([
    db.query<QuarantinedRow>(
      `select id::float8 as id, ${epochMs('received_at')} as "receivedAt", kind, source, symbol, timeframe,
         ${epochMs('timestamp')} as timestamp, rule, reason, payload
       from ingest_quarantine where ${where}
       order by received_at desc, id desc limit $4 offset $5`,
      [...params, filter.pageSize, (filter.page - 1) * filter.pageSize],
    ),
    db.query<{ total: number }>(`select count(*)::float8 as total from ingest_quarantine where ${where}`, params),
  ]);
  const total = count[0]?.total ?? 0;
  return { rows, page: filter.page, pageSize: filter.pageSize, total, pages: Math.max(1, Math.ceil(total / filter.pageSize)) };
}

export interface ValidationFailures {
  rule: string;
  source: string;
  /** Rows rejected in the window. */
  recent: number;
  total: number;
}

/** Rejected rows per validation rule and source: in the last `days` days and ever. */
export async function validationFailures(db: Db, request: { now: number; days: number }): Promise<ValidationFailures[]> {
  const { rows } = await db.query<ValidationFailures>(
    `select rule, source, (count(*) filter (where received_at >= $1))::float8 as recent, count(*)::float8 as total
     from ingest_quarantine group by rule, source order by total desc, rule, source`,
    [toIso(daysBefore(request.now, request.days))],
  );
  return rows;
}
