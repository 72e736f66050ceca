import pg from 'pg';

/** The e2e app's embedded database (playwright.config.ts picks its port), for arranging data in specs. */
export function e2eDatabaseUrl(): string {
  const port = process.env.E2E_PG_PORT ?? '54339';
  const password = encodeURIComponent(process.env.EMBEDDED_PG_PASSWORD ?? 'feature-foundation-local');
  return `postgresql://postgres:${password}@127.0.0.1:${port}/feature_foundation`;
}

export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: e2eDatabaseUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
