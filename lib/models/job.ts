import type { Pool } from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/prisma/client';
import { scoreNewCandles, type ScoreSummary } from './predictions';

/**
 * The worker's scoring pass (the `models` job kind, lib/jobs/kinds/models.ts, which schedules it):
 * every active model version scores each closed candle of its series that it has not scored yet.
 */

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

const clients = new WeakMap<Pool, PrismaClient>();

/** The worker's Prisma client, on the worker's own pg pool (no second set of connections). */
export function prismaFor(pool: Pool): PrismaClient {
  let client = clients.get(pool);
  if (!client) {
    client = new PrismaClient({ adapter: new PrismaPg(pool) });
    clients.set(pool, client);
  }
  return client;
}
