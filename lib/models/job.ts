import type { Pool } from 'pg';
import type { PrismaClient } from '@/lib/db/prisma';
import { scoreNewCandles, type ScoreSummary } from './predictions';

/**
 * The worker's scoring job: every active model version scores each closed candle of its series that
 * it has not scored yet (within MODEL_SCORE_LOOKBACK_HOURS, so a missed run is caught up). Scheduled
 * every five minutes; writes are idempotent, so a retried or overlapping run stores nothing twice.
 */
export const SCORE_MODELS_QUEUE = 'score-models';
export const SCORE_MODELS_CRON = '*/5 * * * *';

export interface ScoringContext {
  pool: Pool;
  prisma: PrismaClient;
  trackedSymbols: readonly string[];
  lookbackHours: number;
}

export async function runModelScoring(context: ScoringContext, now = new Date()): Promise<{ written: number; summaries: ScoreSummary[] }> {
  const summaries = await scoreNewCandles(context, { now, lookbackMs: context.lookbackHours * 3_600_000, trackedSymbols: context.trackedSymbols });
  return { written: summaries.reduce((sum, s) => sum + s.written, 0), summaries };
}

/**
 * Adds the scoring queue to a worker: its own pg-boss queue (singleton: one scoring pass at a time
 * across workers), the handler, and the five-minute schedule. Returns what to close on stop.
 */
export async function installModelScoring(
  boss: import('pg-boss').PgBoss,
  options: { pool: Pool; databaseUrl: string; trackedSymbols: readonly string[]; lookbackHours: number; schedule: boolean; log: (line: string) => void },
): Promise<{ stop(): Promise<void> }> {
  const { createPrisma } = await import('@/lib/db/prisma');
  const prisma = createPrisma(options.databaseUrl);
  const context: ScoringContext = { pool: options.pool, prisma, trackedSymbols: options.trackedSymbols, lookbackHours: options.lookbackHours };
  if (!(await boss.getQueues()).some((queue) => queue.name === SCORE_MODELS_QUEUE)) {
    await boss.createQueue(SCORE_MODELS_QUEUE, { policy: 'singleton', retryLimit: 2, retryDelay: 30, deleteAfterSeconds: 24 * 3600 });
  }
  await boss.work(SCORE_MODELS_QUEUE, { pollingIntervalSeconds: 2 }, async () => {
    const { written, summaries } = await runModelScoring(context);
    if (written) options.log(`models: stored ${written} predictions (${summaries.filter((s) => s.written).map((s) => `${s.modelId} ${s.symbol}: ${s.written}`).join(', ')})`);
  });
  if (options.schedule) await boss.schedule(SCORE_MODELS_QUEUE, SCORE_MODELS_CRON, {}, { key: 'score-models', tz: 'UTC' });
  return { stop: () => prisma.$disconnect() };
}
