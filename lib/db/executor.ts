/**
 * The little the migration runner and the rollup maintenance need from a database, so that the same
 * code runs on node-postgres (embedded, plain, TimescaleDB servers) and on PGlite (TimescaleDB in
 * WASM, in tests).
 */
export interface SqlExecutor {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a multi-statement script as one transaction: all of it or none of it. */
  runScript(sql: string): Promise<void>;
}
