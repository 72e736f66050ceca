import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseConfig } from '@/lib/config/env';
import { createPrisma, type PrismaClient } from '@/lib/db/prisma';
import { startWorker, type RunningWorker } from '@/lib/jobs/worker';
import { changeStatus, parseRegistration, registerOnnxModel } from '@/lib/models';
import { requestRuns } from '@/lib/jobs/runs';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { CLASSES, FIXTURE_FEATURES, HOUR, seedSeries } from './seed';

// The real worker (pg-boss on the test database) runs the scoring job for the active model.
let db: MigratedDatabase;
let prisma: PrismaClient;
let worker: RunningWorker;
const now = Date.now();
const start = Math.floor(now / HOUR) * HOUR - 30 * HOUR;

beforeAll(async () => {
  db = await createMigratedDatabase();
  prisma = createPrisma(db.url);
  const registration = parseRegistration({ name: 'live', version: '1', labelType: 'price_direction', symbols: ['ETH/USDT'], features: FIXTURE_FEATURES, classNames: CLASSES });
  await registerOnnxModel({ pool: db.pool, prisma }, registration, new Uint8Array(readFileSync(path.join(process.cwd(), 'tests/fixtures/models/lightgbm.onnx'))));
  await changeStatus(prisma, 'live@1', 'activate');
  await seedSeries(db.pool, { symbol: 'ETH/USDT', start, hours: 30, labels: false });
  worker = await startWorker({ cfg: parseConfig({ DATABASE_URL: db.url, WORKER_SCHEDULE: 'false', TRACKED_SYMBOLS: 'ETH/USDT' }), databaseUrl: db.url, log: () => {} });
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await prisma?.$disconnect();
  await db?.drop();
});

/** Asks for a scoring run as the schedule does and waits until it has finished. */
async function scoringRun(): Promise<{ status: string; rows_written: number }> {
  const [id] = await requestRuns(db.pool, worker.boss, [{ kind: 'models' }], 'schedule');
  for (let i = 0; i < 150; i++) {
    const { rows } = await db.pool.query('select status, rows_written from collection_runs where id = $1', [id]);
    if (['succeeded', 'failed'].includes(rows[0].status)) return rows[0];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the scoring run did not finish');
}

it('scores every closed candle of the active model once, and the next candle when it closes', async () => {
  expect(await scoringRun()).toEqual({ status: 'succeeded', rows_written: 30 });
  await seedSeries(db.pool, { symbol: 'ETH/USDT', start: start + 30 * HOUR, hours: 1, seed: 5, labels: false });
  expect(await scoringRun()).toEqual({ status: 'succeeded', rows_written: 1 });
  // Another pass over the same candles stores nothing twice.
  expect(await scoringRun()).toEqual({ status: 'succeeded', rows_written: 0 });
  const { rows } = await db.pool.query(`select count(*)::int as n, count(distinct timestamp)::int as candles from ml_predictions where model_id = 'live@1'`);
  expect(rows[0]).toEqual({ n: 31, candles: 31 });
}, 60_000);
