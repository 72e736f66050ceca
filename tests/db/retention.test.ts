import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyBookkeepingRetention } from '../../lib/db/retention';
import { withSession } from '@/lib/db/sql';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';

describe('retention of the collection bookkeeping (every mode)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase();
  });
  afterAll(() => db.drop());

  it('deletes finished runs and attempts older than 90 days, keeps recent ones and runs still open', async () => {
    const now = new Date('2025-06-01T00:00:00Z');
    await db.pool.query(`insert into collection_runs (id, kind, requested_by, status, created_at) values
      ('00000000-0000-4000-8000-000000000001', 'candles', 'schedule', 'succeeded', '2025-01-01'),
      ('00000000-0000-4000-8000-000000000002', 'candles', 'schedule', 'retrying', '2025-01-01'),
      ('00000000-0000-4000-8000-000000000003', 'candles', 'schedule', 'failed', '2025-05-20')`);
    await db.pool.query(`insert into collection_attempts (source, symbol, timeframe, started_at, finished_at, outcome) values
      ('binance', 'BTC/USDT', '1h', '2025-01-01', '2025-01-01', 'real'),
      ('binance', 'BTC/USDT', '1h', '2025-05-30', '2025-05-30', 'real')`);
    const deleted = await withSession(db.pool, (session) => applyBookkeepingRetention(session, { now, batchSize: 1 }));
    expect(deleted).toMatchObject({ collection_runs: 1, collection_attempts: 1, ingest_quarantine: 0, sentiment_documents: 0 });
    const { rows: runs } = await db.pool.query('select status from collection_runs order by created_at, status');
    expect(runs.map((r) => r.status)).toEqual(['retrying', 'failed']);
    const { rows: attempts } = await db.pool.query('select started_at from collection_attempts');
    expect(attempts.map((a) => a.started_at.toISOString())).toEqual(['2025-05-30T00:00:00.000Z']);
  });
});
