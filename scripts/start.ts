import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import pg from 'pg';
import { ConfigError, parseConfig } from '../lib/config/env';
import { migrate, MigrationError } from '../lib/db/migrate';
import { openDatabase } from '../lib/db/open';

/**
 * `npm start`: the whole product in one command. Starts the embedded PostgreSQL when DATABASE_URL is
 * unset, applies migrations, builds the web app when its sources changed, serves it with the
 * background worker beside it (RUN_WORKER=false leaves the worker to `npm run worker` elsewhere),
 * and on Ctrl-C stops everything it started, database last.
 */
const require = createRequire(import.meta.url);
const nextBin = require.resolve('next/dist/bin/next');
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
  if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
  writeFileSync(STAMP, fingerprint);
}

async function main() {
  const cfg = parseConfig();
  const database = await openDatabase(cfg);
  let stopping = false;
  const children: ChildProcess[] = [];

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill('SIGTERM');
    await Promise.all(children.map((child) => (child.exitCode === null ? run(child) : Promise.resolve(0))));
    await database.close();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const result = await migrate(client, cfg.DATABASE_MODE);
      console.log(`Database ready: ${database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}, ${result.mode} mode, ${result.applied.length} migrations applied now.`);
    } finally {
      await client.end();
    }
    if (!dev) await ensureBuild();
  } catch (error) {
    await database.close();
    throw error;
  }

  const env = {
    ...process.env,
    DATABASE_URL: database.url,
    DATABASE_EMBEDDED: database.embedded ? 'true' : 'false',
    NEXT_TELEMETRY_DISABLED: '1',
  };
  // scripts/web.ts: Next.js, with the training-set download written so it keeps its Content-Length.
  const web = spawn(process.execPath, ['--import', 'tsx', path.join('scripts', 'web.ts'), ...(dev ? ['--dev'] : []), '--port', String(cfg.PORT)], { stdio: 'inherit', env });
  children.push(web);
  if (cfg.RUN_WORKER) {
    children.push(spawn(process.execPath, ['--import', 'tsx', path.join('workers', 'main.ts')], { stdio: 'inherit', env }));
  }
  console.log(`Feature Foundation on http://localhost:${cfg.PORT} (Ctrl-C stops it${cfg.RUN_WORKER ? ', the worker' : ''} and the database).`);
  // Either process ending on its own ends the product: a half-running product would mislead.
  const [name, code] = await Promise.race(children.map((child, i) => run(child).then((c) => [i === 0 ? 'web server' : 'worker', c] as const)));
  if (!stopping) {
    console.error(`The ${name} exited (code ${code}); stopping.`);
    await stop(code || 1);
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof MigrationError;
  console.error(known ? `start: ${(error as Error).message}` : error);
  process.exit(1);
});
