import pg from 'pg';
import { config } from '../config/env';

/**
 * The one node-postgres pool of a process: bulk writes (COPY, multi-row upserts) and time-bucket
 * reads go through it; typed row access goes through Prisma (lib/db/prisma.ts) on the same URL.
 */
let pool: pg.Pool | undefined;

// Timestamps come back as Date, numerics as numbers: bigint counts (int8) fit easily in a double here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));

export function databaseUrl(): string {
  const url = config().DATABASE_URL;
  if (!url) {
    throw new Error('DATABASE_URL is not set: start the product with `npm start` (it runs the embedded PostgreSQL) or set DATABASE_URL');
  }
  return url;
}

export function getPool(): pg.Pool {
  if (!pool) {
    pool = new pg.Pool({ connectionString: databaseUrl(), max: config().DATABASE_POOL_MAX, connectionTimeoutMillis: 5_000 });
    // An idle connection dropped by the server (restart, failover) must not take the process down;
    // the pool replaces it on the next checkout.
    pool.on('error', (error) => console.warn(`database connection lost: ${error.message}`));
  }
  return pool;
}

export async function closePool(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.end();
}
