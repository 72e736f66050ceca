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
  /** Where a dropped idle connection is reported (it is replaced on the next checkout). */
  onError?: (error: Error) => void;
}

export function createPool(connectionString: string, { max = 10, onError = (error) => console.warn(`database connection lost: ${error.message}`) }: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 5_000 });
  // An idle connection dropped by the server (restart, failover) must not take the process down.
  pool.on('error', onError);
  return pool;
}

export function databaseUrl(): string {
  const url = config().DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set: start the product with `npm start` (it runs the embedded PostgreSQL) or set DATABASE_URL');
  }
  return url;
}

/** The web app's pool, sized by DATABASE_POOL_MAX. */
let pool: pg.Pool | undefined;

export function getPool(): pg.Pool {
  pool ??= createPool(databaseUrl(), { max: config().DATABASE_POOL_MAX });
  return pool;
}

export async function closePool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.end();
}
