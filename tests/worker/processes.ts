import { spawn, type ChildProcess } from 'node:child_process';
import type { PgBoss } from 'pg-boss';
import { parseConfig } from '../../lib/config/env';
import { createBoss, ensureQueues } from '../../lib/jobs/boss';
import { tuningFrom } from '../../lib/jobs/definitions';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { startExchangeServer, type ExchangeServer } from './exchange-server';

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves once the worker says it started. */
  ready: Promise<void>;
  exited: Promise<number | null>;
}

/** `npm run worker` as a real child process, configured only through its environment. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
    env: { ...process.env, WORKER_SCHEDULE: 'false', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (/worker \S+ started/.test(output)) markReady();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, ready: Promise.race([ready, exited.then(() => Promise.reject(new Error(`worker exited early:\n${output}`)))]), exited };
}

export async function stopWorker(worker: WorkerProcess): Promise<void> {
  if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
  worker.child.kill('SIGTERM');
  await worker.exited;
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 90_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export interface WorkerHarness {
  db: TestDatabase;
  exchange: ExchangeServer;
  /** A queue handle for the test itself, to request runs as the admin page does. */
  boss: PgBoss;
  /** Starts a worker process on the harness's database and exchange; stopped in `close`. */
  spawn(extraEnv?: Record<string, string>): WorkerProcess;
  close(): Promise<void>;
}

/** A migrated database, the exchange stand-in and the queues, as worker processes find them. */
export async function startWorkerHarness(env: Record<string, string>, extraSymbols: readonly string[] = []): Promise<WorkerHarness> {
  const db = await createMigratedDatabase();
  const exchange = await startExchangeServer(extraSymbols);
  const boss = createBoss(db.url);
  await boss.start();
  await ensureQueues(boss, tuningFrom(parseConfig(env)));
  const workers: WorkerProcess[] = [];
  return {
    db,
    exchange,
    boss,
    spawn(extraEnv = {}) {
      const worker = spawnWorker({ ...env, DATABASE_URL: db.url, EXCHANGE_API_URL: exchange.url, ...extraEnv });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map(stopWorker));
      await boss.stop({ graceful: false });
      await exchange.close();
      await db.drop();
    },
  };
}
