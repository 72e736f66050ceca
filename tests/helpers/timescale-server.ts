import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { loadMigrations, migrate, type MigrateResult, type RequestedMode } from '@/lib/db/migrate';
import { withSession, type Sql } from '@/lib/db/sql';

/**
 * The real TimescaleDB server of the TimescaleDB suite: TIMESCALE_TEST_URL names it (.ci/run starts
 * ../shared/timescaledb/server.sh and sets it). Each test file gets its own database on it, dropped
 * afterwards. Without the variable the suite says plainly that it did not run.
 */
export const timescaleTestUrl = process.env.TIMESCALE_TEST_URL || null;

export function hasTimescaleServer(suite: string): boolean {
  if (!timescaleTestUrl) {
    console.warn(
      `[${suite}] NOT RUN: no real TimescaleDB server. Set TIMESCALE_TEST_URL (e.g. the URL printed by ` +
        '../shared/timescaledb/server.sh start) to run the TimescaleDB suite against one; the WASM tests still ran.',
    );
  }
  return timescaleTestUrl !== null;
}

/** The tests' own reads, as row arrays. */
export interface RowSql {
  rowsOnly: true;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
}

export const rowsOf = (db: Sql): RowSql => ({
  rowsOnly: true,
  query: async <Row>(sql: string, params?: unknown[]) => (await db.query(sql, params)).rows as Row[],
});

/** Either handle: a RowSql's query already answers rows. */
function asRows(db: Sql | RowSql): RowSql {
  return 'rowsOnly' in db ? db : rowsOf(db as Sql);
}

export interface TimescaleDatabase {
  name: string;
  url: string;
  pool: pg.Pool;
  /** One dedicated connection: for statements that must run outside a transaction, or in order. */
  client: pg.PoolClient;
  /** The same connection, reads as row arrays. */
  session: RowSql;
  drop(): Promise<void>;
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: timescaleTestUrl! });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh database on the TimescaleDB server, migrated up to `upTo` (a migration id; all by default). */
export interface TimescaleDatabaseOptions {
  /** Migrate up to this migration id (all by default). */
  upTo?: string;
  /** DATABASE_MODE to migrate with. */
  mode?: RequestedMode;
  /** Per-database settings in force from the first connection, e.g. { 'timescaledb.license': 'apache' }. */
  settings?: Record<string, string>;
}

export async function createTimescaleDatabase(options: TimescaleDatabaseOptions = {}): Promise<TimescaleDatabase & { migration: MigrateResult }> {
  if (!timescaleTestUrl) throw new Error('TIMESCALE_TEST_URL is not set');
  // A unique prefix: other suites and other people's databases share this server.
  const name = `ff_tsdb_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await onServer(async (client) => {
    await client.query(`create database ${name}`);
    for (const [setting, value] of Object.entries(options.settings ?? {})) {
      await client.query(`alter database ${name} set ${setting} = ${pg.escapeLiteral(value)}`);
    }
  });
  const url = new URL(timescaleTestUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  // `drop database … with (force)` ends connections still closing: that is the point, not an error.
  pool.on('error', () => {});
  const sessionClient = await pool.connect();
  sessionClient.on('error', () => {});
  const session = rowsOf(sessionClient);
  const migrations = loadMigrations().filter((m) => !options.upTo || m.id <= options.upTo);
  const migration = await migrate(sessionClient, options.mode ?? 'timescale', migrations).catch(async (error: unknown) => {
    sessionClient.release();
    await pool.end();
    await onServer((client) => client.query(`drop database if exists ${name} with (force)`));
    throw error;
  });
  return {
    name,
    url: url.toString(),
    pool,
    client: sessionClient,
    session,
    migration,
    async drop() {
      sessionClient.release();
      await pool.end();
      // `with (force)` also ends the database's TimescaleDB background workers.
      await onServer((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** Nothing runs behind a test's back: every policy and product job waits until the test starts it. */
export async function pauseJobs(db: Sql | RowSql): Promise<void> {
  await asRows(db).query('select alter_job(job_id, scheduled => false) from timescaledb_information.jobs where job_id >= 1000');
}

/** Applies the remaining migrations to a database created with `upTo`. */
export function migrateRest(db: TimescaleDatabase): Promise<MigrateResult> {
  return withSession(db.pool, (client) => migrate(client, 'timescale'));
}

export interface JobStats {
  job_id: number;
  total_runs: number;
  total_successes: number;
  total_failures: number;
  last_run_status: string | null;
}

/**
 * Lets the server's scheduler run a job as it would on its own (no run_job): moves its next start
 * to now and waits until job_stats shows one more finished run.
 */
export async function runJobInBackground(sql: Sql | RowSql, jobId: number, timeoutMs = 60_000): Promise<JobStats> {
  const db = asRows(sql);
  const stats = async () => (await db.query<JobStats>(
    'select job_id, total_runs::int, total_successes::int, total_failures::int, last_run_status from timescaledb_information.job_stats where job_id = $1', [jobId],
  ))[0];
  // A run counts once it has finished (a success or a failure), not when it starts.
  const finished = (s?: JobStats) => (s ? s.total_successes + s.total_failures : 0);
  const before = finished(await stats());
  await db.query('select alter_job($1, next_start => now())', [jobId]);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = await stats();
    if (finished(now) > before) return now!;
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish a run within ${timeoutMs} ms (stats: ${JSON.stringify(now)})`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The one job of `proc` for `target` (a hypertable, or the relation in a job's config); any target when omitted. */
export async function jobId(sql: Sql | RowSql, proc: string, target?: string): Promise<number> {
  const rows = await asRows(sql).query<{ job_id: number }>(
    `select job_id from timescaledb_information.jobs
     where proc_name = $1 and ($2::text is null or hypertable_name = $2 or config->>'relation' = $2) order by job_id`,
    [proc, target ?? null],
  );
  if (rows.length !== 1) throw new Error(`expected one ${proc} job${target ? ` for ${target}` : ''}, found ${rows.length}`);
  return rows[0]!.job_id;
}
