import type { SqlExecutor } from './executor';

/** The subset of PGlite's API we use; typed structurally so lib/ never imports the dev-only package. */
export interface PGliteLike {
  query<Row>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  exec(sql: string): Promise<unknown>;
}

/** PGlite runs a multi-statement exec() as one transaction, which is what runScript promises. */
export function pgliteExecutor(db: PGliteLike): SqlExecutor {
  return {
    async query<Row>(sql: string, params?: unknown[]) {
      return (await db.query<Row>(sql, params)).rows;
    },
    async runScript(sql: string) {
      await db.exec(sql);
    },
  };
}
