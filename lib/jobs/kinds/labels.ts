import { z } from 'zod';
import { generateLabels, labelBehindWatermarks, totalComputed } from '../../labels';
import { symbolSchema, timeframeSchema } from '../../zod/market';
import { defineJobKind, RunFailed } from '../kind';

const instant = z.number().int().nonnegative();
const written = (counts: Record<string, number>) => Object.values(counts).reduce((sum, n) => sum + n, 0);

/**
 * Labels with the configured specs (LABEL_SPECS). Over the range the admin page asked for, or else
 * (the hourly schedule) everything behind the per-series watermarks, however long the worker was
 * down. Idempotent either way.
 */
export const labels = defineJobKind({
  id: 'labels',
  queue: 'generate-labels',
  payload: z.object({ symbols: z.array(symbolSchema).min(1), timeframe: timeframeSchema.optional(), since: instant.optional(), until: instant.optional() }),
  trigger: {
    label: 'Labels',
    asks: { timeframes: false, from: 'optional' },
    // One run per chosen timeframe (1h when none is chosen), over the chosen range if any.
    payloads: ({ symbols, timeframes, from, to }) =>
      (timeframes.length ? timeframes : ['1h']).map((timeframe) => ({ symbols, timeframe: timeframe as z.infer<typeof timeframeSchema>, since: from, until: to })),
  },
  schedule: (cfg) => [{ key: 'labels', cron: '10 * * * *', payloads: [{ symbols: [...cfg.TRACKED_SYMBOLS] }] }],
  async handle(context, { symbols, timeframe = '1h', since, until }) {
    const deps = { sessions: context.sessions };
    const request = { symbols, timeframe, specs: context.cfg.LABEL_SPECS };
    if (since === undefined && until === undefined) return { rowsWritten: written((await labelBehindWatermarks(deps, request)).written) };
    const result = await generateLabels(deps, { ...request, from: since, to: until });
    // An explicit range that yields nothing is an answer people need to see, not a silent success.
    if (!totalComputed(result)) {
      const why = Object.entries(result.skipped).map(([what, reason]) => `${what}: ${reason}`).join('; ');
      throw new RunFailed(`nothing could be labelled: ${why || 'no candles in the range'}`);
    }
    return { rowsWritten: written(result.written) };
  },
});
