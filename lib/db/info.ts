import type { Session } from './sql';
import type { DatabaseMode } from './migrate';

export interface DatabaseInfo {
  /** embedded: the server `npm start` runs itself (plain PostgreSQL underneath). */
  mode: 'embedded' | DatabaseMode;
  schemaMode: DatabaseMode | null;
  serverVersion: string;
  timescaleVersion: string | null;
  migrations: number;
}

/** The mode a database was migrated in (null before the first migration). */
export async function schemaMode(db: Session): Promise<DatabaseMode | null> {
  const { rows } = await db.query<{ mode: DatabaseMode }>(
    "select mode from ff_schema_migrations where to_regclass('ff_schema_migrations') is not null limit 1",
  ).catch(() => ({ rows: [] }));
  return rows[0]?.mode ?? null;
}

export async function databaseInfo(db: Session, embedded: boolean): Promise<DatabaseInfo> {
  const { rows: [server] } = await db.query<{ version: string; timescale: string | null; migrations: number | null }>(`
    select current_setting('server_version') as version,
           (select extversion from pg_extension where extname = 'timescaledb') as timescale,
           case when to_regclass('ff_schema_migrations') is null then 0 end as migrations`);
  const mode = await schemaMode(db);
  const migrations = server!.migrations ?? (await db.query<{ n: number }>('select count(*)::int as n from ff_schema_migrations')).rows[0]!.n;
  return {
    mode: embedded ? 'embedded' : (mode ?? (server!.timescale ? 'timescale' : 'plain')),
    schemaMode: mode,
    serverVersion: server!.version,
    timescaleVersion: server!.timescale,
    migrations,
  };
}
