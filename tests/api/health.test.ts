import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';

/** The real route handler, against the real database, and against a database that does not answer. */
async function loadRoute(env: Record<string, string>) {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  const route = await import('../../app/api/health/route');
  const { closePool } = await import('../../lib/db/pool');
  opened.push(closePool);
  return route;
}
const opened: (() => Promise<void>)[] = [];

describe('GET /api/health', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase();
  });
  afterAll(async () => {
    for (const close of opened) await close();
    await db.drop();
  });
  beforeEach(() => {
    vi.unstubAllEnvs();
  });

  it('answers 200 with mode, server version and migration count when the database answers', async () => {
    const { GET } = await loadRoute({ DATABASE_URL: db.url, DATABASE_EMBEDDED: 'false' });
    const response = await GET();
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ status: 'ok', database: { mode: 'plain', schemaMode: 'plain', timescaleVersion: null } });
    expect(body.database.serverVersion).toMatch(/^\d+\.\d+/);
    expect(body.database.migrations).toBeGreaterThan(0);
  });

  it('reports the embedded server as such', async () => {
    const { GET } = await loadRoute({ DATABASE_URL: db.url, DATABASE_EMBEDDED: 'true' });
    expect((await (await GET()).json()).database.mode).toBe('embedded');
  });

  it('answers 503 with the reason when the database does not answer', async () => {
    const { GET } = await loadRoute({ DATABASE_URL: 'postgresql://nobody:nothing@127.0.0.1:9/none' });
    const response = await GET();
    expect(response.status).toBe(503);
    const body = await response.json();
    expect(body.status).toBe('unavailable');
    expect(body.error).toMatch(/ECONNREFUSED|connect/i);
  });
});
