import type { Pool } from 'pg';
import type { z } from 'zod';
import type { AppConfig } from '../config/env';
import type { Sessions } from '../db/sql';
import type { CircuitBreaker } from '../market/circuit-breaker';
import type { CandleSource } from '../market/source';
import type { BreakerFor, SentimentSourceConfig } from '../sentiment';
import type { RunResult } from './lifecycle';

/** A job's payload is an object of plain fields (JSON in the queue and in collection_runs.params). */
export type PayloadSchema = z.ZodType<Record<string, unknown>, Record<string, unknown>>;

/**
 * A kind of durable work, written in one file under lib/jobs/kinds: its id, its payload schema, how
 * an admin request or the schedule becomes payloads, and the handler the worker runs. The registry
 * (lib/jobs/kinds/index.ts) lists them; the queues, the worker, the trigger schema and the admin
 * form all read that list.
 */
export interface JobKind<S extends PayloadSchema = PayloadSchema> {
  /** Stored as collection_runs.kind and shown on the admin page. */
  id: string;
  /** The pg-boss queue. Kinds that must not overlap on a series (a collection and a backfill) share one. */
  queue: string;
  /** The job's data besides runId and kind; parsed when a run is requested and again by the worker. */
  payload: S;
  /** The series a run works on (its row's symbol and timeframe, one at a time per queue); none when market-wide. */
  series?: (payload: z.output<S>) => Series;
  /** How the admin page offers the kind; absent when only the schedule starts it. */
  trigger?: TriggerSpec<z.input<S>>;
  /** When the schedule starts runs by itself. */
  schedule?: (cfg: AppConfig) => ScheduleEntry<z.input<S>>[];
  handle: (context: JobContext, payload: z.output<S>, runId: string) => Promise<RunResult>;
  /**
   * Runs many runs of this kind together (a collection cycle over many series); one result or
   * error per run, in order. Without it the worker calls `handle` for each.
   */
  handleMany?: (context: JobContext, runs: { payload: z.output<S>; runId: string }[]) => Promise<(RunResult | Error)[]>;
}

export interface Series {
  symbol: string;
  timeframe: string;
}

/** What the admin page sends, validated against the configuration (lib/jobs/trigger.ts). */
export interface TriggerInput {
  symbols: string[];
  timeframes: string[];
  from?: number;
  to?: number;
}

export interface TriggerSpec<P> {
  /** The admin form's label. */
  label: string;
  /** Which fields of the admin form this kind asks for. */
  asks: { timeframes: boolean; from: 'required' | 'optional' | 'no' };
  payloads: (input: TriggerInput) => P[];
}

export interface ScheduleEntry<P> {
  /** Unique per kind; names the pg-boss schedule. */
  key: string;
  /** UTC cron. */
  cron: string;
  /** The runs one tick asks for; a series with a run still waiting is skipped. */
  payloads: P[];
}

/** What a job needs from the worker process that runs it. */
export interface JobContext {
  cfg: AppConfig;
  pool: Pool;
  sessions: Sessions;
  source: CandleSource;
  /** One per source and process: 1,000 failures in a row must not mean 1,000 requests. */
  breaker: CircuitBreaker;
  sentiment: SentimentSourceConfig;
  sentimentBreakers: BreakerFor;
}

/** A run that could not do its work; thrown so the queue retries it with backoff. */
export class RunFailed extends Error {
  override name = 'RunFailed';
  constructor(message: string, readonly result: RunResult = {}) {
    super(message);
  }
}

/** Keeps each kind's payload type attached to its handler while the registry holds them all. */
export function defineJobKind<S extends PayloadSchema>(kind: JobKind<S>): JobKind<S> {
  return kind;
}
