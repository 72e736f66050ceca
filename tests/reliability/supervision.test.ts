import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createTestDatabase } from '../helpers/db';
import path from 'node:path';
import { alive, processTree, sleep, startProduct, waitUntilHealthy, type Product } from './product';

/**
 * `npm start` as a process, with its parts killed, frozen and stopped the way production does it.
 * One product for the outage cases (a start costs seconds); fresh ones where the ending is the test.
 */
async function statuses(url: string, untilMs: number, everyMs = 100): Promise<number[]> {
  const seen: number[] = [];
  const deadline = Date.now() + untilMs;
  while (Date.now() < deadline) {
    seen.push(await fetch(url).then((r) => r.status, () => 0));
    if (seen.at(-1) === 200 && seen.length > 3) break;
    await sleep(everyMs);
  }
  return seen;
}

describe('npm start supervises its parts', () => {
  let product: Product;

  beforeAll(async () => {
    product = await startProduct({ DATABASE_QUERY_TIMEOUT_MS: '2000', DATABASE_STATEMENT_TIMEOUT_MS: '1500', RESTART_LIMIT: '2' });
    await waitUntilHealthy(product);
    await product.waitForOutput(/worker \S+ started/);
  }, 300_000);
  afterAll(async () => product?.close());

  it('answers 503 with Retry-After within the query timeout while the database is frozen, and 200 once it thaws', async () => {
    const frozen = processTree(product.postgresPid()!);
    for (const pid of frozen) process.kill(pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const response = await fetch(`${product.url}/api/overview`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect((await response.json()).error).toMatch(/^service unavailable: /);
      expect(Date.now() - started).toBeLessThan(8_000);
      // The page itself still renders (its data panels show the outage; the banner polls /api/health).
      expect((await fetch(`${product.url}/`)).status).toBe(200);
    } finally {
      for (const pid of frozen) process.kill(pid, 'SIGCONT');
    }
    const after = await statuses(`${product.url}/api/overview`, 30_000);
    expect(after.at(-1)).toBe(200);
    expect(after.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  });

  it('restarts a killed embedded PostgreSQL; meanwhile the APIs answer 503, never 500, and the worker survives', async () => {
    const worker = product.workerPid()!;
    const postgres = product.postgresPid()!;
    const from = product.output().length;
    process.kill(postgres, 'SIGKILL');
    const seen = await statuses(`${product.url}/api/overview`, 60_000);
    await product.waitForOutput(/the embedded PostgreSQL is back/, 60_000, from);
    expect(product.output().slice(from)).toMatch(/the embedded PostgreSQL was killed by SIGKILL; restarting it in 1 s/);
    expect(seen.at(-1)).toBe(200);
    expect(seen.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    expect(product.postgresPid()).not.toBe(postgres);
    expect(alive(worker)).toBe(true);
    expect(product.workerPid()).toBe(worker);
  });

  it('restarts a worker killed by a signal, and stops everything with exit code 4 once it keeps dying', async () => {
    const first = product.workerPid()!;
    let from = product.output().length;
    process.kill(first, 'SIGKILL');
    await product.waitForOutput(/the worker was killed by SIGKILL; restarting it in 1 s/, 30_000, from);
    await product.waitForOutput(/worker \S+ started/, 60_000, from);
    const second = product.workerPid()!;
    expect(second).not.toBe(first);
    expect((await fetch(`${product.url}/api/health`)).status).toBe(200);

    // RESTART_LIMIT=2: the second restart is the last; the third death ends the product.
    from = product.output().length;
    process.kill(second, 'SIGKILL');
    await product.waitForOutput(/worker \S+ started/, 60_000, from);
    const postgres = product.postgresPid()!;
    process.kill(product.workerPid()!, 'SIGKILL');
    const { code } = await product.exited;
    expect(code, product.output()).toBe(4);
    expect(product.output()).toMatch(/the worker was killed by SIGKILL, and it died 3 times; giving up; stopping everything \(exit code 4\)/);
    // Everything it started is gone: web server, database (no stale postmaster.pid).
    expect(alive(postgres)).toBe(false);
    expect(existsSync(path.join(product.dataDir, 'postmaster.pid'))).toBe(false);
    expect(await fetch(`${product.url}/api/health`).then(() => 'answered', () => 'refused')).toBe('refused');
  }, 180_000);
});

describe('an orderly stop is the only stop', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s stops web, worker and database in order and exits 0', async (signal) => {
    const product = await startProduct();
    try {
      await waitUntilHealthy(product);
      await product.waitForOutput(/worker \S+ started/);
      const postgres = product.postgresPid()!;
      const worker = product.workerPid()!;
      const token = readFileSync(path.join(product.root, 'admin-token'), 'utf8').trim();
      const signIn = await fetch(`${product.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
      expect(signIn.status).toBe(200);
      product.child.kill(signal);
      const { code } = await product.exited;
      expect(code, product.output()).toBe(0);
      expect(alive(worker)).toBe(false);
      expect(alive(postgres)).toBe(false);
      expect(existsSync(path.join(product.dataDir, 'postmaster.pid'))).toBe(false);
      // Nobody else stopped the database under the worker: no crash, no connection errors in the output.
      expect(product.output()).not.toMatch(/Unhandled|uncaught|terminating connection due to administrator command|process\.exit\(143\)|exited with code/i);
      // First start without setup: a generated admin token kept with the data, readable by its owner only,
      // printed as a sign-in link, and the web app on loopback only.
      const tokenFile = path.join(product.root, 'admin-token');
      expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(product.output()).toContain(`http://127.0.0.1:${product.port}/admin/login#token=${token}`);
      expect(product.output()).toMatch(new RegExp(`web server listening on 127\\.0\\.0\\.1:${product.port}`));
    } finally {
      await product.close();
    }
  }, 300_000);
});

describe('with a server database and no credentials', () => {
  it('generates nothing and keeps admin closed', async () => {
    const db = await createTestDatabase();
    const product = await startProduct({ DATABASE_URL: db.url, RUN_WORKER: 'false' });
    try {
      await waitUntilHealthy(product);
      expect(existsSync(path.join(product.root, 'admin-token'))).toBe(false);
      expect(product.output()).not.toMatch(/admin\/login#token=/);
      const signIn = await fetch(`${product.url}/api/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: 'x'.repeat(43) }) });
      expect(signIn.status).toBe(403);
      expect((await signIn.json()).error).toMatch(/the admin area is disabled/);
    } finally {
      await product.close();
      await db.drop();
    }
  }, 300_000);
});
