import type { Pool } from 'pg';

export interface OpenedDatabase {
  pool: Pool;
  mode: 'timescale' | 'plain';
  close(): Promise<void>;
}

/**
 * The database commands load the database modules only when used, so `compute` needs no
 * configuration. They use the same database as `npm start`: DATABASE_URL, or the embedded server
 * (reused while `npm start` runs, started and stopped here otherwise), migrated first.
 */
export async function openMigratedDatabase(): Promise<OpenedDatabase> {
  const { config } = await import('@/lib/config/env');
  const { openDatabase } = await import('@/lib/db/open');
  const { migrate } = await import('@/lib/db/migrate');
  const { clientExecutor, withClient } = await import('@/lib/db/pg-executor');
  const pg = (await import('pg')).default;
  const cfg = config();
  const database = await openDatabase(cfg);
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  // An idle connection the server closes must not crash the command; a query on it still fails.
  pool.on('error', (error) => console.warn(`database connection lost: ${error.message}`));
  const close = async () => {
    await pool.end();
    await database.close();
  };
  try {
    const { mode } = await withClient(pool, (client) => migrate(clientExecutor(client), cfg.DATABASE_MODE));
    return { pool, mode, close };
  } catch (error) {
    await close();
    throw error;
  }
}

export async function withDatabase<T>(work: (pool: Pool, mode: 'timescale' | 'plain') => Promise<T>): Promise<T> {
  const database = await openMigratedDatabase();
  try {
    return await work(database.pool, database.mode);
  } finally {
    await database.close();
  }
}
