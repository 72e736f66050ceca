import pg from 'pg';
import { ConfigError, parseConfig } from '../lib/config/env';
import { migrate, MigrationError } from '../lib/db/migrate';
import { openDatabase } from '../lib/db/open';
import { tiersFrom } from '../lib/db/retention-tiers';
import { configureRetentionJobs } from '../lib/db/timescale-jobs';

/** `npm run db:migrate`: applies pending SQL migrations in whichever mode the configuration selects. */
async function main() {
  const cfg = parseConfig();
  const database = await openDatabase(cfg);
  const client = new pg.Client({ connectionString: database.url });
  try {
    await client.connect();
    const result = await migrate(client, cfg.DATABASE_MODE);
    await configureRetentionJobs(client, tiersFrom(cfg));
    const where = database.embedded ? 'embedded PostgreSQL' : 'DATABASE_URL';
    console.log(
      result.applied.length
        ? `Applied ${result.applied.join(', ')} on ${where} (${result.mode} mode).`
        : `Nothing to apply on ${where} (${result.mode} mode): ${result.alreadyApplied.length} migrations already applied.`,
    );
  } finally {
    await client.end().catch(() => {});
    await database.close();
  }
}

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof MigrationError;
  console.error(known ? `db:migrate: ${(error as Error).message}` : error);
  process.exit(1);
});
