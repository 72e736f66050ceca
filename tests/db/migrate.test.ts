import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadMigrations, migrate, MIGRATIONS_DIR, MigrationError } from '../../lib/db/migrate';
import { withSession } from '@/lib/db/sql';
import { createTestDatabase, type TestDatabase } from '../helpers/db';

describe('npm run db:migrate on plain PostgreSQL (the embedded server)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const run = (dir = MIGRATIONS_DIR, mode: 'auto' | 'plain' | 'timescale' = 'auto') =>
    withSession(db.pool, (client) => migrate(client, mode, loadMigrations(dir)));

  it('applies every migration once, in plain mode, and records a checksum for each', async () => {
    const first = await run();
    expect(first.mode).toBe('plain');
    expect(first.applied).toEqual(loadMigrations().map((m) => m.id));
    const { rows } = await db.pool.query('select id, mode, checksum from ff_schema_migrations order by id');
    expect(rows.map((r) => r.id)).toEqual(first.applied);
    for (const row of rows) expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('creates the five ML tables and the rollups under their read-model names', async () => {
    const { rows } = await db.pool.query(
      "select table_name from information_schema.tables where table_schema = 'public' order by table_name",
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining([
        'ml_features_ohlcv', 'ml_features_sentiment', 'ml_labels', 'ml_models_metadata', 'ml_predictions',
        'ml_features_ohlcv_1h', 'ml_features_ohlcv_1d', 'ml_features_sentiment_1h', 'ml_features_sentiment_1d',
        'ml_labels_daily_counts',
      ]),
    );
  });

  it('is idempotent: a second run applies nothing and changes no record', async () => {
    const before = await db.pool.query('select id, checksum, applied_at from ff_schema_migrations order by id');
    const second = await run();
    expect(second.applied).toEqual([]);
    const after = await db.pool.query('select id, checksum, applied_at from ff_schema_migrations order by id');
    expect(after.rows).toEqual(before.rows);
  });

  it('refuses to run when an applied migration was edited, naming it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ff-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const first = loadMigrations(dir)[0]!;
    appendFileSync(path.join(dir, first.id, 'common.sql'), '\n-- an innocent-looking edit\n');
    await expect(run(dir)).rejects.toThrow(MigrationError);
    await expect(run(dir)).rejects.toThrow(new RegExp(`${first.id} was edited`));
  });

  it('refuses a mode the database was not created with', async () => {
    await expect(run(MIGRATIONS_DIR, 'timescale')).rejects.toThrow(/migrated in plain mode/);
  });

  it('rolls a failing migration back whole, leaving no record and no half-made objects', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ff-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const broken = path.join(dir, '9999_broken');
    mkdirSync(broken);
    writeFileSync(path.join(broken, 'common.sql'), 'create table ff_half_made (id int);\nselect no_such_function();\n');
    await expect(run(dir)).rejects.toThrow(/9999_broken failed and was rolled back/);
    const { rows } = await db.pool.query("select to_regclass('ff_half_made') as t, (select count(*) from ff_schema_migrations where id = '9999_broken') as n");
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });
});
