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
  const { withSession } = await import('@/lib/db/sql');
  const { createPool } = await import('@/lib/db/pool');
  const { tiersFrom } = await import('@/lib/db/retention-tiers');
  const { configureRetentionJobs } = await import('@/lib/db/timescale-jobs');
  const cfg = config();
  const database = await openDatabase(cfg);
  // An idle connection the server closes must not crash the command (createPool reports it).
  const pool = createPool(database.url, { max: 4 });
  const close = async () => {
    await pool.end();
    await database.close();
  };
  try {
    const { mode } = await withSession(pool, async (session) => {
      const migrated = await migrate(session, cfg.DATABASE_MODE);
      await configureRetentionJobs(session, tiersFrom(cfg));
      return migrated;
    });
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
