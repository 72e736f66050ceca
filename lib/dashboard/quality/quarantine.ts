import 'server-only';
import type { Sql } from '@/lib/db/sql';
import type { PrismaClient } from '@/lib/db/prisma';
import { daysBefore, toIso } from '@/lib/market/time';

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

/** Rows validation rejected, newest first, a page at a time (the table only grows). Typed rows through Prisma. */
export async function listQuarantine(prisma: PrismaClient, filter: QuarantineFilter): Promise<QuarantinePage> {
  const where = { source: filter.source, symbol: filter.symbol, rule: filter.rule };
  const [rows, total] = await Promise.all([
    prisma.ingestQuarantine.findMany({
      where,
      orderBy: [{ receivedAt: 'desc' }, { id: 'desc' }],
      take: filter.pageSize,
      skip: (filter.page - 1) * filter.pageSize,
    }),
    prisma.ingestQuarantine.count({ where }),
  ]);
  return {
    rows: rows.map((row) => ({
      id: Number(row.id),
      receivedAt: row.receivedAt.getTime(),
      kind: row.kind,
      source: row.source,
      symbol: row.symbol,
      timeframe: row.timeframe,
      timestamp: row.timestamp?.getTime() ?? null,
      rule: row.rule,
      reason: row.reason,
      payload: row.payload,
    })),
    page: filter.page,
    pageSize: filter.pageSize,
    total,
    pages: Math.max(1, Math.ceil(total / filter.pageSize)),
  };
}

export interface ValidationFailures {
  rule: string;
  source: string;
  /** Rows rejected in the window. */
  recent: number;
  total: number;
}

/** Rejected rows per validation rule and source: in the last `days` days and ever. */
export async function validationFailures(db: Sql, request: { now: number; days: number }): Promise<ValidationFailures[]> {
  const { rows } = await db.query<ValidationFailures>(
    `select rule, source, (count(*) filter (where received_at >= $1))::float8 as recent, count(*)::float8 as total
     from ingest_quarantine group by rule, source order by total desc, rule, source`,
    [toIso(daysBefore(request.now, request.days))],
  );
  return rows;
}
