import 'server-only';
import { config } from '../config/env';
import { databaseInfo, type DatabaseInfo } from '../db/info';
import { getPool } from '../db/pool';
import { withSession } from '@/lib/db/sql';

export type Health =
  | { status: 'ok'; database: DatabaseInfo; checkedAt: string }
  | { status: 'unavailable'; error: string; checkedAt: string };

export async function getHealth(): Promise<Health> {
  const checkedAt = new Date().toISOString();
  try {
    const database = await withSession(getPool(), (client) => databaseInfo(client, config().DATABASE_EMBEDDED));
    return { status: 'ok', database, checkedAt };
  } catch (error) {
    return { status: 'unavailable', error: (error as Error).message, checkedAt };
  }
}
