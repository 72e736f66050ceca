import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { FIXTURE_FEATURES, seedSeries } from './seed';

const run = promisify(execFile);
const TSX = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
const START = Date.UTC(2022, 0, 1);

let db: MigratedDatabase;

/** `npm run features -- models …` as npm runs it, against the test database. */
async function models(args: string[]) {
  try {
    const { stdout, stderr } = await run(TSX, ['scripts/features.ts', 'models', ...args], { env: { ...process.env, DATABASE_URL: db.url }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  db = await createMigratedDatabase();
  await seedSeries(db.pool, { symbol: 'BTC/USDT', start: START, hours: 40 * 24 });
}, 60_000);
afterAll(async () => db?.drop());

describe('models CLI', () => {
  it('registers an ONNX model, fills its predictions, evaluates it and lists it', async () => {
    const file = path.join('tests/fixtures/models', 'random-forest.onnx');
    const registered = await models(['register', '--file', file, '--name', 'forest', '--version', '1', '--label', 'price_direction', '--symbols', 'BTC/USDT',
      '--features', FIXTURE_FEATURES.join(','), '--training-start', '2022-01-01', '--training-end', '2022-01-10']);
    expect(registered).toMatchObject({ code: 0, stdout: expect.stringContaining('Registered forest@1 (candidate)') });
    const predicted = await models(['predict', '--model', 'forest@1', '--from', '2022-01-01', '--to', '2022-02-10']);
    expect(predicted.stdout).toContain(`forest@1 BTC/USDT: ${40 * 24} candles, ${40 * 24} scored, 0 skipped (an input missing), ${40 * 24} predictions written.`);
    const evaluated = await models(['evaluate', '--model', 'forest@1', '--symbol', 'BTC/USDT', '--from', '2022-01-01', '--to', '2022-02-10', '--folds', '3']);
    expect(evaluated).toMatchObject({ code: 0, stdout: expect.stringMatching(/forest@1: \d+ test rows in \d folds — accuracy [\d.]+% vs majority/) });
    const { rows } = await db.pool.query(`select metrics from ml_models_metadata where model_id = 'forest@1'`);
    expect(rows[0].metrics.walkForward.model.accuracy).toBeGreaterThan(rows[0].metrics.walkForward.majorityBaseline.accuracy);
    const listed = await models(['list']);
    expect(listed.stdout).toMatch(/forest@1\s+candidate\s+onnx/);
  }, 180_000);

  it('exits 2 naming the bad argument, before touching the database', async () => {
    const before = await db.pool.query('select count(*)::int as n from ml_models_metadata');
    expect(await models(['register', '--file', 'x.onnx', '--name', 'a', '--version', '1', '--label', 'weather'])).toMatchObject({ code: 2, stderr: expect.stringContaining('labelType: must be one of') });
    expect(await models(['predict', '--model', 'forest@1', '--from', 'yesterday', '--to', '2022-02-01'])).toMatchObject({ code: 2, stderr: expect.stringContaining('--from "yesterday" is not a date') });
    expect(await models(['promote', '--model', 'forest@1'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown models command "promote"') });
    expect((await db.pool.query('select count(*)::int as n from ml_models_metadata')).rows).toEqual(before.rows);
  }, 60_000);

  it('exits 1 with the contract problem for a model that does not fit', async () => {
    const result = await models(['register', '--file', 'tests/fixtures/models/bad-three-features.onnx', '--name', 'narrow', '--version', '1', '--label', 'price_direction',
      '--features', FIXTURE_FEATURES.join(','), '--classes', 'down,flat,up']);
    expect(result).toMatchObject({ code: 1, stderr: expect.stringContaining('takes 3 features, but 5 are registered') });
  }, 60_000);
});
