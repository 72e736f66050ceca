import { invalid } from '../../errors';
import type { JobKind } from '../kind';
import { backfill } from './backfill';
import { candles } from './candles';
import { labels } from './labels';
import { models } from './models';
import { retention } from './retention';
import { sentiment } from './sentiment';
import { sentimentHistory } from './sentiment-history';

/**
 * Every kind of work, in the order the admin form offers them. A new kind is a new file beside this
 * one and an entry here: the queues, the worker, the schedule, the trigger schema and the admin
 * form follow.
 */
export const JOB_KINDS: readonly JobKind[] = [candles, backfill, sentiment, sentimentHistory, labels, retention, models];

const BY_ID = new Map(JOB_KINDS.map((kind) => [kind.id, kind]));

export function findJobKind(id: unknown): JobKind | undefined {
  return typeof id === 'string' ? BY_ID.get(id) : undefined;
}

export function jobKind(id: string): JobKind {
  const kind = BY_ID.get(id);
  if (!kind) throw invalid(`unknown job kind "${id}": one of ${JOB_KINDS.map((k) => k.id).join(', ')}`);
  return kind;
}

/** The queues the kinds use, each once. */
export const JOB_QUEUES: readonly string[] = [...new Set(JOB_KINDS.map((kind) => kind.queue))];

/** The kinds a person can start from the admin page, as the form needs them (no functions: it is a client component). */
export interface TriggerableKind {
  id: string;
  label: string;
  asks: { timeframes: boolean; from: 'required' | 'optional' | 'no' };
}

export function triggerableKinds(): TriggerableKind[] {
  return JOB_KINDS.flatMap((kind) => (kind.trigger ? [{ id: kind.id, label: kind.trigger.label, asks: kind.trigger.asks }] : []));
}
