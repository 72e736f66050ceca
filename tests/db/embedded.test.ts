import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseConfig } from '../../lib/config/env';
import { openDatabase } from '../../lib/db/open';
import { migrate } from '../../lib/db/migrate';
import { freePort } from '../helpers/net';

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

describe('the embedded database (no DATABASE_URL)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ff-embedded-'));
  chmodSync(root, 0o755);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('keeps data across a stop and a start, and a second opener reuses the running server', async () => {
    const cfg = parseConfig({ EMBEDDED_PG_DIR: path.join(root, 'pg'), EMBEDDED_PG_PORT: String(await freePort()) });
    const first = await openDatabase(cfg);
    expect(first.embedded).toBe(true);
    const client = new pg.Client({ connectionString: first.url });
    await client.connect();
    const result = await migrate(client);
    expect(result.mode).toBe('plain');
    await client.query(`insert into ml_models_metadata (model_id, name, version, label_type, kind, parameters, trained_at) values ('m1', 'kept', '1', 'price_direction', 'majority', '{}', now())`);
    await client.end();

    // A CLI command run while `npm start` serves: it connects to the same server and must not stop it.
    const second = await openDatabase(cfg);
    await second.close();
    expect(await query<{ name: string }>(first.url, 'select name from ml_models_metadata')).toEqual([{ name: 'kept' }]);

    await first.close();
    expect(existsSync(path.join(root, 'pg', 'postmaster.pid'))).toBe(false);

    const again = await openDatabase(cfg);
    try {
      expect(await query<{ name: string }>(again.url, 'select name from ml_models_metadata')).toEqual([{ name: 'kept' }]);
    } finally {
      await again.close();
    }
  });
});
