import type { ClientBase, Pool, PoolClient } from 'pg';
import type { SqlExecutor } from './executor';

/** A SqlExecutor over one dedicated connection (session-level locks and settings stay with it). */
export function clientExecutor(client: ClientBase): SqlExecutor {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      const result = await client.query(sql, params);
      return result.rows as Row[];
    },
    async runScript(sql: string) {
      await client.query('begin');
      try {
        await client.query(sql);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    },
  };
}

/** Runs `work` on a connection checked out of the pool and always gives it back. */
export async function withClient<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}
