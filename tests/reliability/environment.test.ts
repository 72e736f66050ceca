import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { freePort } from '../helpers/net';

/**
 * A bad environment stops `npm start` within 5 s with one line that names the variable and what is
 * wrong (exit code 1), before anything starts: no stack trace, no hang, no half-started product.
 */
const LIMIT_MS = 5_000;

function runStart(env: Record<string, string>): Promise<{ code: number | null; lines: string[]; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: { ...process.env, DATABASE_URL: '', ADMIN_TOKEN: '', ADMIN_USERNAME: '', ADMIN_PASSWORD: '', WORKER_SCHEDULE: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(kill);
      resolve({ code, lines: output.split('\n').filter((line) => line.trim()), ms: Date.now() - started });
    }),
  );
}

describe('a bad environment stops npm start with one line naming the variable', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ff-env-'));
  chmodSync(root, 0o755);
  let busy: Server;
  let busyPort: number;
  let base: Record<string, string>;

  beforeAll(async () => {
    busy = createServer();
    busyPort = await freePort();
    await new Promise<void>((resolve) => busy.listen(busyPort, '0.0.0.0', resolve));
    base = { PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()), EMBEDDED_PG_DIR: path.join(root, 'pg') };
  });
  afterAll(() => {
    busy?.close();
    rmSync(root, { recursive: true, force: true });
  });

  const serverUrl = () => inject('testDatabaseUrl');
  const cases: [string, () => Record<string, string>, RegExp][] = [
    ['PORT not a number', () => ({ PORT: 'abc' }), /PORT: .*number/i],
    ['PORT out of range', () => ({ PORT: '70000' }), /PORT: /],
    ['PORT in use', () => ({ PORT: String(busyPort) }), /PORT: port \d+ is already in use/],
    ['EMBEDDED_PG_PORT privileged', () => ({ EMBEDDED_PG_PORT: '80' }), /EMBEDDED_PG_PORT: /],
    ['EMBEDDED_PG_DIR unwritable', () => ({ EMBEDDED_PG_DIR: '/proc/1/nope' }), /EMBEDDED_PG_DIR: cannot create or write the folder \/proc\/1/],
    ['EMBEDDED_PG_PASSWORD short', () => ({ EMBEDDED_PG_PASSWORD: 'short' }), /EMBEDDED_PG_PASSWORD: /],
    ['DATABASE_URL not postgres', () => ({ DATABASE_URL: 'mysql://localhost/db' }), /DATABASE_URL: must be a postgres/],
    ['DATABASE_URL refused', () => ({ DATABASE_URL: 'postgresql://nobody:secret-pw@127.0.0.1:1/db' }), /DATABASE_URL: cannot connect to 127\.0\.0\.1:1\/db \(ECONNREFUSED\)/],
    ['DATABASE_URL no such database', () => ({ DATABASE_URL: serverUrl().replace(/\/[^/]+$/, '/ff_no_such_db') }), /DATABASE_URL: cannot connect to .*ff_no_such_db \(database "ff_no_such_db" does not exist\)/],
    ['DATABASE_MODE unknown', () => ({ DATABASE_MODE: 'fast' }), /DATABASE_MODE: /],
    ['DATABASE_POOL_MAX zero', () => ({ DATABASE_POOL_MAX: '0' }), /DATABASE_POOL_MAX: /],
    ['EXCHANGE_ID unknown to ccxt', () => ({ EXCHANGE_ID: 'notanexchange' }), /EXCHANGE_ID: "notanexchange" is not a ccxt exchange id/],
    ['EXCHANGE_ID malformed', () => ({ EXCHANGE_ID: 'Binance!' }), /EXCHANGE_ID: /],
    ['EXCHANGE_API_URL not a URL', () => ({ EXCHANGE_API_URL: 'not a url' }), /EXCHANGE_API_URL: /],
    ['TRACKED_SYMBOLS without a slash', () => ({ TRACKED_SYMBOLS: 'BTCUSDT' }), /TRACKED_SYMBOLS \(item 1\): .*BTC\/USDT/],
    ['TRACKED_TIMEFRAMES unknown', () => ({ TRACKED_TIMEFRAMES: '1h,2m' }), /TRACKED_TIMEFRAMES \(item 2\): /],
    ['ADMIN_TOKEN of 16 spaces', () => ({ ADMIN_TOKEN: ' '.repeat(16) }), /ADMIN_TOKEN: must be at least 16 characters/],
    ['ADMIN_TOKEN short', () => ({ ADMIN_TOKEN: 'short' }), /ADMIN_TOKEN: /],
    ['ADMIN_USERNAME alone', () => ({ ADMIN_USERNAME: 'quant' }), /ADMIN_PASSWORD: set ADMIN_USERNAME and ADMIN_PASSWORD together/],
    ['ADMIN_PASSWORD of spaces', () => ({ ADMIN_USERNAME: 'quant', ADMIN_PASSWORD: ' '.repeat(14) }), /ADMIN_PASSWORD: must be at least 12 characters/],
    ['WORKER_CONCURRENCY zero', () => ({ WORKER_CONCURRENCY: '0' }), /WORKER_CONCURRENCY: /],
    ['RUN_WORKER not a flag', () => ({ RUN_WORKER: 'maybe' }), /RUN_WORKER: /],
    ['HOST not an address', () => ({ HOST: 'my host' }), /HOST: /],
    ['TRUSTED_PROXIES not addresses', () => ({ TRUSTED_PROXIES: 'proxy.local' }), /TRUSTED_PROXIES \(item 1\): /],
    ['SENTIMENT_TIMEOUT_MS not a number', () => ({ SENTIMENT_TIMEOUT_MS: 'soon' }), /SENTIMENT_TIMEOUT_MS: /],
  ];

  it.each(cases)('%s', async (_name, env, expected) => {
    const { code, lines, ms } = await runStart({ ...base, ...env() });
    expect(code, lines.join('\n')).toBe(1);
    expect(lines, lines.join('\n')).toHaveLength(1);
    expect(lines[0]).toMatch(/^start: /);
    expect(lines[0]).toMatch(expected);
    expect(lines[0]).not.toMatch(/secret-pw/); // a password in DATABASE_URL is never echoed
    expect(ms).toBeLessThan(LIMIT_MS);
    expect(existsSync(path.join(root, 'pg', 'PG_VERSION'))).toBe(false); // nothing was started
  });

  it('as root, a data folder the postgres user cannot enter is named with the command that fixes it', async () => {
    const closed = path.join(root, 'private');
    mkdirSync(closed, { mode: 0o700 });
    chmodSync(closed, 0o700);
    const { code, lines, ms } = await runStart({ ...base, EMBEDDED_PG_DIR: path.join(closed, 'pg') });
    expect(code, lines.join('\n')).toBe(1);
    expect(lines).toHaveLength(1);
    if (userInfo().uid === 0) {
      expect(lines[0]).toMatch(new RegExp(`EMBEDDED_PG_DIR: running as root, the embedded PostgreSQL runs as user postgres, which cannot enter ${closed} \\(mode 700\\); run \`chmod o\\+x ${closed}\``));
    } else {
      // Not root: postgres runs as this user, who owns the folder; the check does not apply and start-up proceeds.
      expect(lines[0]).not.toMatch(/running as root/);
    }
    expect(ms).toBeLessThan(LIMIT_MS);
  });
});
