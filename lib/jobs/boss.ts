import { PgBoss } from 'pg-boss';
import { TICK_QUEUE, type QueueTuning } from './definitions';
import { JOB_QUEUES } from './kinds';

/** pg-boss keeps its tables in their own schema, beside ours, on the same database. */
export const BOSS_SCHEMA = 'pgboss';

export interface BossOptions {
  max?: number;
  schedule?: boolean;
  heartbeatSeconds?: number;
  /** Supervision (expiring lapsed jobs, maintenance) is the workers' business; the web app only sends. */
  supervise?: boolean;
}

export function createBoss(connectionString: string, options: BossOptions = {}): PgBoss {
  // Lapsed heartbeats are noticed on the supervise pass: keep it well inside the heartbeat.
  const superviseSeconds = Math.max(5, Math.floor((options.heartbeatSeconds ?? 30) / 2));
  const boss = new PgBoss({
    superviseIntervalSeconds: superviseSeconds,
    monitorIntervalSeconds: superviseSeconds,
    connectionString,
    schema: BOSS_SCHEMA,
    application_name: 'feature-foundation',
    max: options.max ?? 4,
    schedule: options.schedule ?? false,
    supervise: options.supervise ?? true,
  });
  // Connection errors surface here while the database is away; pg-boss keeps polling and recovers.
  boss.on('error', (error: Error) => console.warn(`queue: ${error.message}`));
  return boss;
}

type QueueOptions = NonNullable<Parameters<PgBoss['createQueue']>[1]>;

/** Creates the queues (idempotent) with retries, exponential backoff and kept history. */
export async function ensureQueues(boss: PgBoss, tuning: QueueTuning): Promise<void> {
  const retries = {
    retryLimit: tuning.retryLimit,
    retryDelay: tuning.retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: tuning.retryDelayMaxSeconds,
    heartbeatSeconds: tuning.heartbeatSeconds,
    // Finished jobs stay a week for the run list and debugging.
    deleteAfterSeconds: 7 * 24 * 3600,
  };
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
  const wanted: [string, QueueOptions][] = [
    // singleton + singletonKey per series: at most one active run per (symbol, timeframe) and queue.
    ...JOB_QUEUES.map((queue): [string, QueueOptions] => [queue, { ...retries, policy: 'singleton' }]),
    [TICK_QUEUE, { retryLimit: 0, policy: 'standard', deleteAfterSeconds: 24 * 3600 }],
  ];
  for (const [name, { policy, ...options }] of wanted) {
    // A queue's policy is fixed at creation; the rest follows the current configuration.
    if (existing.has(name)) await boss.updateQueue(name, options);
    else await boss.createQueue(name, { policy, ...options });
  }
}
