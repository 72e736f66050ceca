import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/net';

/**
 * `npm start` (scripts/start.ts) as a real child process on a throw-away data folder and free ports,
 * with helpers to find and kill its parts the way an operator (or the kernel) would.
 */
export interface Product {
  child: ChildProcess;
  port: number;
  pgPort: number;
  root: string;
  dataDir: string;
  url: string;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until the output matches (after `from` characters), or the process ends, or the timeout passes. */
  waitForOutput(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  /** The pid of the newest worker process, from its "worker host:pid started" line. */
  workerPid(): number | null;
  /** The embedded PostgreSQL's postmaster pid, from postmaster.pid. */
  postgresPid(): number | null;
  close(): Promise<void>;
}

export async function startProduct(env: Record<string, string> = {}, root = mkdtempSync(path.join(tmpdir(), 'ff-product-'))): Promise<Product> {
  chmodSync(root, 0o755); // the embedded server runs as OS user postgres when we are root
  const port = await freePort();
  const pgPort = await freePort();
  const dataDir = path.join(root, 'pg');
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      EMBEDDED_PG_PORT: String(pgPort),
      EMBEDDED_PG_DIR: dataDir,
      DATABASE_URL: '',
      ADMIN_TOKEN: '',
      ADMIN_USERNAME: '',
      ADMIN_PASSWORD: '',
      EXCHANGE_API_URL: 'http://127.0.0.1:9',
      EXCHANGE_TIMEOUT_MS: '1000',
      WORKER_SCHEDULE: 'false',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters) wake();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      for (const wake of waiters) wake();
      resolve({ code, signal });
    }),
  );
  const product: Product = {
    child,
    port,
    pgPort,
    root,
    dataDir,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    exited,
    waitForOutput(pattern, timeoutMs = 240_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = output.slice(from).match(pattern);
          if (match) return done(() => resolve(match));
          if (child.exitCode !== null || child.signalCode !== null) return done(() => reject(new Error(`npm start ended before ${pattern}:\n${output}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`timed out waiting for ${pattern}:\n${output}`))), timeoutMs);
        const done = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
    workerPid() {
      const matches = [...output.matchAll(/worker \S+?:(\d+) started/g)];
      return matches.length ? Number(matches.at(-1)![1]) : null;
    },
    postgresPid() {
      const file = path.join(dataDir, 'postmaster.pid');
      return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
  return product;
}

/** Resolves when the product serves its health check with 200. */
export async function waitUntilHealthy(product: Product, timeoutMs = 240_000): Promise<void> {
  await product.waitForOutput(/web server listening on/, timeoutMs);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(`${product.url}/api/health`).then((r) => r.status, () => 0);
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`/api/health never answered 200:\n${product.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The postmaster and every backend it forked: freezing only the postmaster leaves pooled connections working. */
export function processTree(pid: number): number[] {
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
  return [pid, ...children.flatMap(processTree)];
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
