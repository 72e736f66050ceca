import { z } from 'zod';

/**
 * The durable work the worker does, one pg-boss queue per kind. Each job carries the id of its
 * collection_runs row, which is what people see on the admin page.
 */
export const QUEUES = {
  candles: 'collect-candles',
  sentiment: 'collect-sentiment',
  labels: 'generate-labels',
  retention: 'apply-retention',
  tick: 'schedule-tick',
} as const;

export type RunKind = 'candles' | 'backfill' | 'sentiment' | 'labels' | 'retention';

const runId = z.uuid();

export const candleJobSchema = z.object({
  runId,
  kind: z.enum(['candles', 'backfill']),
  symbol: z.string(),
  timeframe: z.string(),
  since: z.number().int().optional(),
  until: z.number().int().optional(),
});
export type CandleJob = z.infer<typeof candleJobSchema>;

export const symbolsJobSchema = z.object({ runId, symbols: z.array(z.string()).min(1) });
export type SymbolsJob = z.infer<typeof symbolsJobSchema>;

export const retentionJobSchema = z.object({ runId });

export const tickJobSchema = z.object({ what: z.enum(['candles', 'sentiment', 'labels', 'retention']), timeframe: z.string().optional() });
export type TickJob = z.infer<typeof tickJobSchema>;

export function queueOf(kind: RunKind): string {
  return kind === 'backfill' ? QUEUES.candles : QUEUES[kind];
}

/** One collection per series at a time, across every worker process: the queue's singleton key. */
export function seriesKey(symbol: string, timeframe: string): string {
  return `${symbol}|${timeframe}`;
}

export interface QueueTuning {
  /** A job whose worker stopped heart-beating this long ago is retried (a killed worker). ≥ 10. */
  heartbeatSeconds: number;
  retryLimit: number;
  /** First retry delay; doubles each time (pg-boss backoff with jitter), capped at retryDelayMax. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
}

export function tuningFrom(cfg: { WORKER_HEARTBEAT_SECONDS: number; WORKER_RETRY_LIMIT: number; WORKER_RETRY_DELAY_SECONDS: number }): QueueTuning {
  return { heartbeatSeconds: cfg.WORKER_HEARTBEAT_SECONDS, retryLimit: cfg.WORKER_RETRY_LIMIT, retryDelaySeconds: cfg.WORKER_RETRY_DELAY_SECONDS, retryDelayMaxSeconds: 600 };
}

/** Cron for each timeframe's collection: a candle closes on these minutes (UTC). */
export function cronFor(timeframe: string): string {
  const crons: Record<string, string> = {
    '1m': '* * * * *', '3m': '*/3 * * * *', '5m': '*/5 * * * *', '15m': '*/15 * * * *', '30m': '*/30 * * * *',
    '1h': '0 * * * *', '2h': '0 */2 * * *', '4h': '0 */4 * * *', '6h': '0 */6 * * *', '8h': '0 */8 * * *', '12h': '0 */12 * * *',
    '1d': '0 0 * * *', '1w': '0 0 * * 1',
  };
  const cron = crons[timeframe];
  if (!cron) throw new Error(`no schedule for timeframe ${timeframe}`);
  return cron;
}
