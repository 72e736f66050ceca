import { z } from 'zod';
import type { AppConfig } from '../config/env';
import { JOB_KINDS, jobKind } from './kinds';
import type { RunRequest } from './runs';

/**
 * What the admin page may ask for, checked against the configuration and the job kinds: only kinds
 * the page offers, tracked symbols and timeframes, dates that make sense. Anything else is a 400
 * naming the field, and nothing is queued.
 */
const MAX_RUNS_PER_TRIGGER = 100;

const date = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((value) => Date.parse(value));

export function triggerSchema(cfg: AppConfig, now = Date.now()) {
  const symbols = cfg.TRACKED_SYMBOLS;
  const timeframes: readonly string[] = cfg.TRACKED_TIMEFRAMES;
  const offered = JOB_KINDS.filter((kind) => kind.trigger).map((kind) => kind.id);
  return z
    .object({
      kind: z.enum(offered as [string, ...string[]]),
      symbols: z
        .array(z.string().refine((s) => symbols.includes(s), { error: (issue) => `unknown symbol ${JSON.stringify(issue.input)}: tracked symbols are ${symbols.join(', ')}` }))
        .min(1, 'choose at least one symbol')
        .refine((list) => new Set(list).size === list.length, 'a symbol is listed more than once'),
      timeframes: z
        .array(z.string().refine((t) => timeframes.includes(t), { error: (issue) => `unknown timeframe ${JSON.stringify(issue.input)}: tracked timeframes are ${timeframes.join(', ')}` }))
        .refine((list) => new Set(list).size === list.length, 'a timeframe is listed more than once')
        .default([]),
      from: date.optional(),
      to: date.optional(),
    })
    .strict()
    .superRefine((input, context) => {
      const { asks, payloads } = jobKind(input.kind).trigger!;
      if (asks.timeframes && input.timeframes.length === 0) {
        context.addIssue({ code: 'custom', path: ['timeframes'], message: `choose at least one timeframe for ${input.kind}` });
      }
      if (asks.from === 'required' && input.from === undefined) {
        context.addIssue({ code: 'custom', path: ['from'], message: `a ${input.kind} needs a start date` });
      }
      if (input.from !== undefined && input.from > now) context.addIssue({ code: 'custom', path: ['from'], message: 'is in the future' });
      if (input.to !== undefined && input.to > now) context.addIssue({ code: 'custom', path: ['to'], message: 'is in the future' });
      if (input.from !== undefined && input.to !== undefined && input.from >= input.to) {
        context.addIssue({ code: 'custom', path: ['to'], message: 'must be after from (the dates are reversed)' });
      }
      const runs = payloads(input).length;
      if (runs > MAX_RUNS_PER_TRIGGER) context.addIssue({ code: 'custom', path: ['symbols'], message: `would start ${runs} runs; at most ${MAX_RUNS_PER_TRIGGER} at once` });
    });
}

export type Trigger = z.infer<ReturnType<typeof triggerSchema>>;

/** The kind's own expansion: one run per series for candle work, one over all chosen symbols for sentiment and labels. */
export function runRequestsFor({ kind, ...input }: Trigger): RunRequest[] {
  return jobKind(kind).trigger!.payloads(input).map((payload) => ({ kind, ...payload }));
}
