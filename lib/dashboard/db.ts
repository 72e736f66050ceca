import 'server-only';
import type { QueryResultRow } from 'pg';

/**
 * What the read models need from a database: one query method, as a pg Pool, a pg Client and PGlite
 * (TimescaleDB in WASM, in tests) all have it. Routes pass getPool(); tests pass their own.
 */
export interface Db {
  query<Row extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** A timestamptz as epoch milliseconds in a double: exact, and independent of the driver's Date parsing. */
export const epochMs = (column: string) => `(extract(epoch from ${column}) * 1000)::float8`;

export const toIso = (ms: number) => new Date(ms).toISOString();
