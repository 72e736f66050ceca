import { z } from 'zod';
import { parseDuration } from '../market/time';

/** The schedule's own queue: a tick names a kind and one of its schedule entries, and requests those runs. */
export const TICK_QUEUE = 'schedule-tick';

export const tickJobSchema = z.object({ kind: z.string(), key: z.string() });
export type TickJob = z.infer<typeof tickJobSchema>;

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
