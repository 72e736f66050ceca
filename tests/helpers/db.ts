import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { migrate, type MigrateResult } from '../../lib/db/migrate';
import { createPool } from '@/lib/db/pool';
import { withSession } from '@/lib/db/sql';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  /** Drops the database; call in afterAll. */
  drop(): Promise<void>;
}

/** A fresh, empty database on the run's embedded PostgreSQL server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = inject('testDatabaseUrl');
  const name = `ff_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pool = createPool(url.toString(), { max: 5 });
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A fresh database with every migration applied (plain mode: the embedded server has no TimescaleDB). */
export type MigratedDatabase = TestDatabase & { migration: MigrateResult };

export async function createMigratedDatabase(): Promise<MigratedDatabase> {
  const db = await createTestDatabase();
  const migration = await withSession(db.pool, (client) => migrate(client));
  return { ...db, migration };
}
