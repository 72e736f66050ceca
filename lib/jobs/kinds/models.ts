import { z } from 'zod';
import { defineJobKind } from '../kind';

/** Every five minutes, so a candle is scored within minutes of its collection, whatever the model's timeframe. */
const SCORE_MODELS_CRON = '*/5 * * * *';

/**
 * Every active model version scores the closed candles of its series it has not scored yet (within
 * MODEL_SCORE_LOOKBACK_HOURS, so a missed pass is caught up); idempotent, so a retry stores nothing twice.
 */
export const models = defineJobKind({
  id: 'models',
  queue: 'score-models',
  payload: z.object({}),
  trigger: { label: 'Score models', asks: { timeframes: false, from: 'no' }, payloads: () => [{}] },
  schedule: () => [{ key: 'models', cron: SCORE_MODELS_CRON, payloads: [{}] }],
  async handle(context) {
    // Prisma, ONNX Runtime and the model code (~15 MiB) load with the first scoring pass, not with the worker.
    const { prismaFor, runModelScoring } = await import('../../models/job');
    const { written } = await runModelScoring({
      pool: context.pool,
      prisma: prismaFor(context.pool),
      trackedSymbols: context.cfg.TRACKED_SYMBOLS,
      lookbackHours: context.cfg.MODEL_SCORE_LOOKBACK_HOURS,
    });
    return { rowsWritten: written };
  },
});
