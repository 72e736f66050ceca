import { z } from 'zod';
import { schemaMode } from '../../db/info';
import { withSession } from '../../db/sql';
import { applyRetention } from '../../db/retention';
import { tiersFrom } from '../../db/retention-tiers';
import { defineJobKind } from '../kind';

/**
 * Daily: the configured tiers (RETENTION_RAW, RETENTION_AGGREGATES) in every mode. In TimescaleDB
 * mode this writes them into the ff_retention jobs (in case the configuration changed) and leaves
 * the hypertables and aggregates to those jobs on TimescaleDB's scheduler; elsewhere it deletes.
 */
export const retention = defineJobKind({
  id: 'retention',
  queue: 'apply-retention',
  payload: z.object({}),
  schedule: () => [{ key: 'retention', cron: '30 3 * * *', payloads: [{}] }],
  async handle(context) {
    const mode = (await withSession(context.pool, (session) => schemaMode(session))) ?? 'plain';
    const { deleted } = await withSession(context.pool, (session) => applyRetention(session, mode, { tiers: tiersFrom(context.cfg) }));
    const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
    if (total) console.log(`retention: deleted ${JSON.stringify(deleted)}`);
    return {};
  },
});
