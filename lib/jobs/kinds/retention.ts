import { z } from 'zod';
import { schemaMode } from '../../db/info';
import { withSession } from '@/lib/db/sql';
import { applyBookkeepingRetention, applyPlainRetention } from '../../db/retention';
import { defineJobKind } from '../kind';

/**
 * Daily. Plain mode deletes old rows in batches; TimescaleDB's own retention policies drop its
 * chunks, so there only the bookkeeping tables are trimmed here.
 */
export const retention = defineJobKind({
  id: 'retention',
  queue: 'apply-retention',
  payload: z.object({}),
  schedule: () => [{ key: 'retention', cron: '30 3 * * *', payloads: [{}] }],
  async handle(context) {
    const mode = await withSession(context.pool, (client) => schemaMode(client));
    const deleted = mode === 'plain' ? await applyPlainRetention(context.pool) : await applyBookkeepingRetention(context.pool);
    const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
    if (total) console.log(`retention: deleted ${JSON.stringify(deleted)}`);
    return {};
  },
});
