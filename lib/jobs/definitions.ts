import { z } from 'zod';
import { parseDuration } from '../market/time';

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

/** Cron for each timeframe's collection: a candle closes on these minutes (UTC); weeks close on Mondays. */
export function cronFor(timeframe: string): string {
  const duration = parseDuration(timeframe);
  if (!duration) throw new Error(`no schedule for timeframe ${timeframe}`);
  const every = (n: number) => (n === 1 ? '*' : `*/${n}`);
  const { count, unit } = duration;
  if (unit === 'm' && 60 % count === 0) return `${every(count)} * * * *`;
  if (unit === 'h' && 24 % count === 0) return `0 ${every(count)} * * *`;
  if (unit === 'd' && count === 1) return '0 0 * * *';
  if (unit === 'w' && count === 1) return '0 0 * * 1';
  throw new Error(`no schedule for timeframe ${timeframe}: its candles do not close on a fixed cron grid`);
}
