/**
 * The one handle shape for SQL: what a pg Pool, a pg PoolClient or Client and PGlite (TimescaleDB in
 * WASM, in tests) all have. Bulk writes (multi-row upserts, COPY), time-bucket reads and the
 * migrations go through it; typed row access to the relational tables goes through Prisma
 * (lib/db/prisma.ts).
 *
 * A pool spreads statements over connections. Anything that needs one session (a transaction,
 * an advisory lock, `set local`) takes a `Session`: one connection, from `withSession`, or PGlite.
 */
export interface Sql {
  query<Row extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: Row[]; rowCount?: number | null }>;
}

/** One connection: a transaction's statements and its locks stay together. */
export type Session = Sql;

/**
 * Runs work on one session (a dedicated connection) and gives it back. Ingest, sentiment and label
 * code take `Sessions` so tests can hand them any session, PGlite included.
 */
export type Sessions = <T>(work: (session: Session) => Promise<T>) => Promise<T>;

/** The subset of pg's Pool that checks out sessions. */
export interface SessionPool extends Sql {
  connect(): Promise<Session & { release(error?: Error | boolean): void }>;
}

export async function withSession<T>(pool: SessionPool, work: (session: Session) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await work(client);
  } finally {
    client.release();
  }
}

export function poolSessions(pool: SessionPool): Sessions {
  return (work) => withSession(pool, work);
}

/** The same session for every piece of work: PGlite (one session only) or a test's dedicated client. */
export function singleSession(session: Session): Sessions {
  return (work) => work(session);
}

/** All of `work` or none of it. `session` must be one connection (see Session). */
export async function inTransaction<T>(session: Session, work: () => Promise<T>): Promise<T> {
  await session.query('begin');
  try {
    const result = await work();
    await session.query('commit');
    return result;
  } catch (error) {
    await session.query('rollback');
    throw error;
  }
}

/** A transaction on a session of its own, checked out of the pool for it. */
export function transaction<T>(pool: SessionPool, work: (session: Session) => Promise<T>): Promise<T> {
  return withSession(pool, (session) => inTransaction(session, () => work(session)));
}

/** PGlite runs a multi-statement script with exec(); pg runs it through query() (the simple protocol). */
export type ScriptSession = Session & { exec?(script: string): Promise<unknown> };

/** Runs a multi-statement script as one transaction: all of it or none of it. */
export async function runScript(session: ScriptSession, script: string): Promise<void> {
  // PGlite's exec() is one implicit transaction already.
  if (session.exec) await session.exec(script);
  else await inTransaction(session, () => session.query(script));
}
