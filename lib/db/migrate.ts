import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runScript, type ScriptSession } from './sql';
import { DomainError, type DomainErrorOptions } from '../errors';

/**
 * Offline SQL migrations (Prisma's migrate engine cannot run here). Each folder under
 * prisma/migrations holds `common.sql` plus, optionally, `timescale.sql` and `plain.sql` for what
 * differs by mode. A migration is applied in one transaction together with its record, a checksum
 * of exactly the SQL that ran; an applied migration that was edited afterwards stops the run.
 */
export type DatabaseMode = 'timescale' | 'plain';
export type RequestedMode = DatabaseMode | 'auto';

export interface Migration {
  id: string;
  common: string;
  timescale: string;
  plain: string;
}

export interface MigrateResult {
  mode: DatabaseMode;
  applied: string[];
  alreadyApplied: string[];
}

export class MigrationError extends DomainError {
  override name = 'MigrationError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('conflict', message, options);
  }
}

export const MIGRATIONS_DIR = path.join(process.cwd(), 'prisma', 'migrations');
const LOCK_KEY = 734_221_901; // arbitrary, fixed: one migrator per database at a time

function readOptional(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{4}_[a-z0-9_]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort()
    .map((id) => {
      const folder = path.join(dir, id);
      const common = readOptional(path.join(folder, 'common.sql'));
      if (!common) throw new MigrationError(`migration ${id} has no common.sql`);
      return { id, common, timescale: readOptional(path.join(folder, 'timescale.sql')), plain: readOptional(path.join(folder, 'plain.sql')) };
    });
}

export function migrationSql(migration: Migration, mode: DatabaseMode): string {
  return `${migration.common}\n${mode === 'timescale' ? migration.timescale : migration.plain}`;
}

export function checksum(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/**
 * Why TimescaleDB mode cannot be used here, or null when it can. The mode needs the TSL features
 * (continuous aggregates, compression, policies): a server running the Apache-2 licensed build
 * (`timescaledb.license = 'apache'`, as some managed services do) has hypertables but none of those.
 */
export async function timescaleUnavailable(db: ScriptSession): Promise<string | null> {
  const { rows: [row] } = await db.query<{ available: boolean; license: string | null }>(
    `select exists (select 1 from pg_available_extensions where name = 'timescaledb') as available,
       current_setting('timescaledb.license', true) as license`,
  );
  if (!row?.available) return 'the server has no timescaledb extension available';
  if (row.license === 'apache') {
    return "the server runs TimescaleDB's Apache-2 edition (timescaledb.license = 'apache'): no continuous aggregates, compression or policies";
  }
  return null;
}

async function chooseMode(db: ScriptSession, requested: RequestedMode, recorded: DatabaseMode | undefined): Promise<DatabaseMode> {
  if (recorded) {
    if (requested !== 'auto' && requested !== recorded) {
      throw new MigrationError(
        `DATABASE_MODE=${requested}, but this database was migrated in ${recorded} mode; a database keeps the mode it was created with`,
      );
    }
    return recorded;
  }
  if (requested === 'plain') return 'plain';
  const unavailable = await timescaleUnavailable(db);
  if (requested === 'timescale' && unavailable) throw new MigrationError(`DATABASE_MODE=timescale, but ${unavailable}`);
  return unavailable ? 'plain' : 'timescale';
}

interface AppliedRow {
  id: string;
  mode: DatabaseMode;
  checksum: string;
}

export async function migrate(db: ScriptSession, requested: RequestedMode = 'auto', migrations = loadMigrations()): Promise<MigrateResult> {
  await db.query('select pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await db.query(`create table if not exists ff_schema_migrations (
      id text primary key,
      mode text not null check (mode in ('timescale', 'plain')),
      checksum text not null,
      applied_at timestamptz not null default now()
    )`);
    const { rows: appliedRows } = await db.query<AppliedRow>('select id, mode, checksum from ff_schema_migrations order by id');
    const mode = await chooseMode(db, requested, appliedRows[0]?.mode);
    const known = new Map(migrations.map((m) => [m.id, m]));

    for (const row of appliedRows) {
      const migration = known.get(row.id);
      if (!migration) {
        throw new MigrationError(`migration ${row.id} is recorded as applied but is missing from ${MIGRATIONS_DIR}`);
      }
      if (checksum(migrationSql(migration, row.mode)) !== row.checksum) {
        throw new MigrationError(
          `migration ${row.id} was edited after it was applied (checksum mismatch); restore it and put the change in a new migration`,
        );
      }
    }

    const appliedIds = new Set(appliedRows.map((row) => row.id));
    const applied: string[] = [];
    for (const migration of migrations) {
      if (appliedIds.has(migration.id)) continue;
      const sql = migrationSql(migration, mode);
      // The record rides in the same transaction as the migration: both land or neither does.
      const record = `insert into ff_schema_migrations (id, mode, checksum) values ('${migration.id}', '${mode}', '${checksum(sql)}')`;
      try {
        await runScript(db, `${sql};\n${record};`);
      } catch (error) {
        throw new MigrationError(`migration ${migration.id} failed and was rolled back: ${(error as Error).message}`);
      }
      applied.push(migration.id);
    }
    return { mode, applied, alreadyApplied: [...appliedIds] };
  } finally {
    await db.query('select pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}
