import pg from 'pg';
import { config } from '../config/env';

/**
 * The one way a process opens node-postgres pools. Bulk writes (COPY, multi-row upserts) and
 * time-bucket reads go through them (as Sql, lib/db/sql.ts); typed row access goes through Prisma
 * (lib/db/prisma.ts) on the same URL.
 */

// Timestamps come back as Date, numerics as numbers: bigint counts (int8) fit easily in a double here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export interface PoolOptions {
  max?: number;
  /** Server-side limit per statement (PostgreSQL cancels it): a slow read cannot hold a connection. */
  statementTimeoutMs?: number;
  /** Client-side limit per query: a frozen or unreachable server fails the query instead of hanging it. */
  queryTimeoutMs?: number;
  /** Where a dropped connection is reported (it is replaced on the next checkout). */
  onError?: (error: Error) => void;
}

/**
 * A pool that survives the database going away: connecting gives up after 5 s, queries after their
 * timeouts, and a connection that dies — idle or checked out — is reported and replaced, never an
 * unhandled `error` event that takes the process down.
 */
export function createPool(
  connectionString: string,
  { max = 10, statementTimeoutMs, queryTimeoutMs, onError = (error) => console.warn(`database connection lost: ${error.message}`) }: PoolOptions = {},
): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000, statement_timeout: statementTimeoutMs, query_timeout: queryTimeoutMs });
  pool.on('error', onError);
  // The pool only listens for errors on idle clients; one checked out for a long job needs its own.
  pool.on('connect', (client) => client.on('error', onError));
  return pool;
}

export function databaseUrl(): string {
  const url = config().DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set: start the product with `npm start` (it runs the embedded PostgreSQL) or set DATABASE_URL');
  }
  return url;
}

/** The web app's pool, sized by DATABASE_POOL_MAX; reads are short, so a statement past the limit is a fault, not a workload. */
let pool: pg.Pool | undefined;

export function getPool(): pg.Pool {
  const cfg = config();
  pool ??= createPool(databaseUrl(), { max: cfg.DATABASE_POOL_MAX, statementTimeoutMs: cfg.DATABASE_STATEMENT_TIMEOUT_MS, queryTimeoutMs: cfg.DATABASE_QUERY_TIMEOUT_MS });
  return pool;
}

export async function closePool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.end();
}
