import type { Pool, PoolClient } from 'pg';

/**
 * One execution per series at a time, across every worker. pg-boss re-runs a job whose heartbeat
 * lapsed (a frozen database, a paused process) while the first execution may still be running;
 * the second must not start the same work concurrently. A session-level advisory lock, held on a
 * dedicated connection for the whole execution, is checked before any work: it is released when
 * the execution ends, or by PostgreSQL when that worker's connection dies.
 */
export class SeriesBusy extends Error {
  override name = 'SeriesBusy';
  constructor(readonly key: string) {
    super(`another execution of ${key} is still running; this one will retry later`);
  }
}

// A namespace of its own: the store's per-transaction series locks (lib/ingest/store.ts) use 'ff_series:'.
const lockId = (key: string) => `ff_run:${key}`;

export async function withSeriesLock<T>(pool: Pool, key: string, work: () => Promise<T>): Promise<T> {
  const client: PoolClient = await pool.connect();
  let locked = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [lockId(key)]);
    locked = rows[0]!.locked;
    if (!locked) throw new SeriesBusy(key);
    return await work();
  } finally {
    if (locked) {
      const unlocked = await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [lockId(key)]).then(() => true, () => false);
      // A connection whose unlock failed still holds the lock: destroy it so PostgreSQL releases it.
      client.release(unlocked ? undefined : true);
    } else {
      client.release();
    }
  }
}

/**
 * The batch form: one connection tries the lock of every key (session-level locks stack on one
 * session) and `work` learns which it holds; a key held elsewhere, or named twice, is busy. All are
 * released when the work ends, or by PostgreSQL if the connection dies.
 */
export async function withSeriesLocks<T>(pool: Pool, keys: readonly string[], work: (held: ReadonlySet<string>) => Promise<T>): Promise<T> {
  if (keys.length === 0) return work(new Set());
  const client: PoolClient = await pool.connect();
  const held = new Set<string>();
  try {
    for (const key of new Set(keys)) {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [lockId(key)]);
      if (rows[0]!.locked) held.add(key);
    }
    return await work(held);
  } finally {
    const unlocked = held.size === 0 || (await client.query('select pg_advisory_unlock_all()').then(() => true, () => false));
    client.release(unlocked ? undefined : true);
  }
}
