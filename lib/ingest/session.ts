import type { Pool } from 'pg';
import type { SqlExecutor } from '@/lib/db/executor';
import { clientExecutor, withClient } from '@/lib/db/pg-executor';

/**
 * Runs work on one database session (a dedicated connection), so a transaction's statements and
 * its advisory locks stay together. From a pg Pool in production; tests can wrap any session.
 */
export type WithSession = <T>(work: (db: SqlExecutor) => Promise<T>) => Promise<T>;

export function poolSessions(pool: Pool): WithSession {
  return (work) => withClient(pool, (client) => work(clientExecutor(client)));
}

/** All of `work` or none of it. `db` must be a single session (see WithSession). */
export async function inTransaction<T>(db: SqlExecutor, work: () => Promise<T>): Promise<T> {
  await db.query('begin');
  try {
    const result = await work();
    await db.query('commit');
    return result;
  } catch (error) {
    await db.query('rollback');
    throw error;
  }
}
