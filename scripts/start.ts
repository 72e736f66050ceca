import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { ensureGeneratedToken, signInLink, wantsGeneratedToken } from '../lib/auth/first-start';
import { ConfigError, parseConfig } from '../lib/config/env';
import { preflight } from '../lib/config/preflight';
import { migrate, MigrationError } from '../lib/db/migrate';
import { openDatabase, type OpenDatabase } from '../lib/db/open';
import { tiersFrom } from '../lib/db/retention-tiers';
import { configureRetentionJobs } from '../lib/db/timescale-jobs';
import { EXIT, StartupError } from '../lib/process/exit-codes';
import { policyWithLimit, restartDelay, type RestartPolicy } from '../lib/process/restart-policy';
import { SupervisedChild } from '../lib/process/supervisor';

/**
 * `npm start`: the whole product in one command. Checks the environment, starts the embedded
 * PostgreSQL when DATABASE_URL is unset, applies migrations, builds the web app when its sources
 * changed, serves it with the background worker beside it (RUN_WORKER=false leaves the worker to
 * `npm run worker` elsewhere), and supervises them: a web server or worker that dies is restarted
 * with backoff, an embedded PostgreSQL that dies is restarted, and one that keeps dying stops
 * everything with an exit code that says which (lib/process/exit-codes.ts). On Ctrl-C or SIGTERM it
 * stops everything it started, database last, and exits 0.
 */
const require = createRequire(import.meta.url);
const nextBin = require.resolve('next/dist/bin/next');
const log = (line: string) => console.log(`start: ${line}`);
const dev = process.argv.includes('--dev');

const BUILD_INPUTS = ['app', 'components', 'lib', 'next.config.js', 'package-lock.json', 'tsconfig.json'];
const STAMP = path.join('.next', 'ff-build-fingerprint');

function* files(entry: string): Generator<string> {
  if (!existsSync(entry)) return;
  if (statSync(entry).isFile()) {
    yield entry;
    return;
  }
  for (const child of readdirSync(entry).sort()) yield* files(path.join(entry, child));
}

function sourceFingerprint(): string {
  const hash = createHash('sha256');
  for (const input of BUILD_INPUTS) {
    for (const file of files(input)) hash.update(file).update(readFileSync(file));
  }
  return hash.digest('hex');
}

function run(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

async function ensureBuild(): Promise<void> {
  const fingerprint = sourceFingerprint();
  const built = existsSync(path.join('.next', 'BUILD_ID')) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === fingerprint;
  if (built) return;
  console.log('Building the web app (first start, or sources changed)…');
  const code = await run(spawn(process.execPath, [nextBin, 'build'], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } }));
  if (code !== 0) throw new StartupError(`next build failed with exit code ${code}`);
  writeFileSync(STAMP, fingerprint);
}

async function migrateDatabase(url: string, cfg: ReturnType<typeof parseConfig>, embedded: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    const result = await migrate(client, cfg.DATABASE_MODE);
    await configureRetentionJobs(client, tiersFrom(cfg));
    log(`database ready: ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}, ${result.mode} mode, ${result.applied.length} migrations applied now.`);
  } finally {
    await client.end();
  }
}

/** Restarts an embedded PostgreSQL that died, with the same backoff as the children; gives up with EXIT.database. */
function superviseDatabase(database: OpenDatabase, policy: RestartPolicy, fail: (code: number, why: string) => void, isStopping: () => boolean): void {
  const deaths: number[] = [];
  const revive = async (description: string) => {
    if (isStopping()) return;
    deaths.push(Date.now());
    const delay = restartDelay(deaths, Date.now(), policy);
    if (delay === null) return fail(EXIT.database, `the embedded PostgreSQL ${description} and could not be kept running`);
    console.error(`start: the embedded PostgreSQL ${description}; restarting it in ${delay / 1000} s (web answers 503 meanwhile)`);
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (isStopping()) return;
    try {
      await database.supervised!.restart();
      log('the embedded PostgreSQL is back');
    } catch (error) {
      await revive(`did not restart (${(error as Error).message.split('\n')[0]})`);
    }
  };
  database.supervised?.onUnexpectedExit((description) => void revive(description));
}

async function main() {
  const cfg = parseConfig();
  await preflight(cfg);
  const generated = wantsGeneratedToken(cfg);
  const database = await openDatabase(cfg).catch((error: Error) => {
    throw new StartupError(`EMBEDDED_PG_DIR/EMBEDDED_PG_PORT: ${error.message.split('\n')[0]}`);
  });
  try {
    await migrateDatabase(database.url, cfg, database.embedded);
    if (!dev) await ensureBuild();
  } catch (error) {
    await database.close();
    throw error;
  }

  const admin = generated ? ensureGeneratedToken(cfg) : null;
  // A generated token is for this machine only: then the web app listens on loopback, whatever HOST says.
  const host = admin ? '127.0.0.1' : (cfg.HOST ?? '0.0.0.0');
  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    DATABASE_EMBEDDED: database.embedded ? 'true' : 'false',
    NEXT_TELEMETRY_DISABLED: '1',
    NODE_ENV: dev ? ('development' as const) : ('production' as const),
    HOST: host,
    ...(admin ? { ADMIN_TOKEN: admin.token } : {}),
  };

  let stopping = false;
  const parts: SupervisedChild[] = [];
  const stop = async (code: number, why?: string) => {
    if (stopping) return;
    stopping = true;
    if (why) console.error(`start: ${why}; stopping everything (exit code ${code})`);
    await Promise.all(parts.map((part) => part.stop()));
    await database.close().catch((error: Error) => console.error(`start: stopping the database failed: ${error.message}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(EXIT.stopped));
  process.on('SIGTERM', () => void stop(EXIT.stopped));
  process.on('SIGHUP', () => void stop(EXIT.stopped));
  const policy = policyWithLimit(cfg.RESTART_LIMIT);
  superviseDatabase(database, policy, (code, why) => void stop(code, why), () => stopping);

  const webArgs = ['--import', 'tsx', path.join('scripts', 'web.ts'), ...(dev ? ['--dev'] : [])];
  parts.push(new SupervisedChild({
    name: 'web server',
    policy,
    spawn: () => spawn(process.execPath, webArgs, { stdio: 'inherit', env }),
    onGiveUp: (why) => void stop(EXIT.web, why),
  }));
  if (cfg.RUN_WORKER) {
    parts.push(new SupervisedChild({
      name: 'worker',
      policy,
      spawn: () => spawn(process.execPath, ['--import', 'tsx', path.join('workers', 'main.ts')], { stdio: 'inherit', env }),
      onGiveUp: (why) => void stop(EXIT.worker, why),
      // The worker lets running jobs finish for up to 30 s (lib/jobs/worker.ts).
      stopGraceMs: 35_000,
    }));
  }
  for (const part of parts) part.start();
  log(`Feature Foundation on http://${host === '0.0.0.0' ? 'localhost' : host}:${cfg.PORT} (Ctrl-C stops it${cfg.RUN_WORKER ? ', the worker' : ''} and the database).`);
  if (admin) {
    log(`admin sign-in (this machine only; the token is kept in ${admin.file}, mode 600${admin.created ? ', made now' : ''}):`);
    console.log(`\n    ${signInLink(cfg.PORT, admin.token)}\n`);
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof MigrationError || error instanceof StartupError;
  console.error(known ? `start: ${(error as Error).message}` : error);
  process.exit(EXIT.startup);
});
