import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseConfig } from '../../lib/config/env';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../lib/db/embedded';
import { createPool } from '../../lib/db/pool';
import { migrate } from '../../lib/db/migrate';
import { createBoss, ensureQueues } from '../../lib/jobs/boss';
import { tuningFrom } from '../../lib/jobs/definitions';
import { requestRuns } from '../../lib/jobs/runs';
import { freePort } from '../helpers/net';
import { serveMarket, startExchangeServer, type ExchangeServer } from './exchange-server';
import { spawnWorker, stopWorker, waitFor, type WorkerProcess } from './processes';

const ENV = { WORKER_HEARTBEAT_SECONDS: '10', WORKER_RETRY_DELAY_SECONDS: '1', WORKER_CONCURRENCY: '1' };

async function query<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A database server of its own, so this test can take it away and bring it back. */
describe('the database is unreachable for a while', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ff-outage-'));
  chmodSync(root, 0o755);
  let port: number;
  let server: EmbeddedServer;
  let exchange: ExchangeServer;
  let worker: WorkerProcess;
  const start = () => startEmbeddedPostgres({ dataDir: path.join(root, 'pg'), port, password: 'outage-test' });

  beforeAll(async () => {
    port = await freePort();
    server = await start();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await migrate(client);
    await client.end();
    exchange = await startExchangeServer();
  });
  afterAll(async () => {
    if (worker) await stopWorker(worker);
    await exchange?.close();
    await server?.stop().catch(() => {});
    rmSync(root, { recursive: true, force: true });
  });

  it('makes the worker back off without crashing, lose nothing, and resume by itself', async () => {
    const served = serveMarket(exchange.replay, ['BTC/USDT', 'SOL/USDT'], ['1h'], 500);
    const boss = createBoss(server.url);
    await boss.start();
    await ensureQueues(boss, tuningFrom(parseConfig(ENV)));
    const pool = createPool(server.url, { max: 2, onError: () => {} });
    const runIds = await requestRuns(pool, boss, [
      { kind: 'candles', symbol: 'BTC/USDT', timeframe: '1h' },
      { kind: 'candles', symbol: 'SOL/USDT', timeframe: '1h' },
    ], 'admin');
    await pool.end();
    await boss.stop({ graceful: false });

    exchange.delayMs = 3000; // the first collection is in flight when the database goes away
    worker = spawnWorker({ ...ENV, DATABASE_URL: server.url, EXCHANGE_API_URL: exchange.url });
    await worker.ready;
    await waitFor('a run to start', async () => (await query<{ n: number }>(server.url, "select count(*)::int as n from collection_runs where status = 'running'"))[0]!.n > 0);

    await server.stop();
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    expect(worker.child.exitCode, worker.output()).toBeNull(); // still alive, backing off
    exchange.delayMs = 0;
    server = await start();

    const runs = await waitFor('both runs to finish after the outage', async () => {
      const rows = await query<{ id: string; status: string }>(server.url, 'select id, status from collection_runs').catch(() => []);
      return rows.length === 2 && rows.every((r) => r.status === 'succeeded') ? rows : null;
    }, 120_000);
    expect(runs.map((r) => r.id).sort()).toEqual([...runIds].sort());
    // The outage interrupted a run, and the retry finished it.
    const [{ attempts }] = await query<{ attempts: number }>(server.url, 'select sum(attempts)::int as attempts from collection_runs');
    expect(attempts).toBeGreaterThan(2);

    const stored = await query<{ symbol: string; n: number; distinct_n: number; simulated: number }>(server.url,
      `select symbol, count(*)::int as n, count(distinct timestamp)::int as distinct_n, count(*) filter (where is_simulated)::int as simulated
       from ml_features_ohlcv group by symbol order by symbol`);
    expect(stored).toEqual([
      { symbol: 'BTC/USDT', n: served.get('BTC/USDT|1h')!.length, distinct_n: served.get('BTC/USDT|1h')!.length, simulated: 0 },
      { symbol: 'SOL/USDT', n: served.get('SOL/USDT|1h')!.length, distinct_n: served.get('SOL/USDT|1h')!.length, simulated: 0 },
    ]);
    // The rollups were written with their batches: every stored candle is counted once in them.
    const rolled = await query<{ n: number }>(server.url, 'select sum(candle_count)::int as n from ml_features_ohlcv_1h');
    expect(rolled[0]!.n).toBe(1000);
  }, 240_000);
});
