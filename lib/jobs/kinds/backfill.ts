import { z } from 'zod';
import { backfillCandles } from '../../ingest/backfill';
import { labelWrittenCandles } from '../../labels';
import { symbolSchema, timeframeSchema } from '../../zod/market';
import { defineJobKind } from '../kind';
import { reportProgress } from '../lifecycle';
import { CANDLE_QUEUE } from './candles';

const instant = z.number().int().nonnegative();

/** History of one series over a date range, page by page; on the candle queue, so it never overlaps a collection of the series. */
export const backfill = defineJobKind({
  id: 'backfill',
  queue: CANDLE_QUEUE,
  payload: z.object({ symbol: symbolSchema, timeframe: timeframeSchema, since: instant, until: instant.optional() }),
  series: ({ symbol, timeframe }) => ({ symbol, timeframe }),
  trigger: {
    label: 'Backfill a date range',
    asks: { timeframes: true, from: 'required' },
    payloads: ({ symbols, timeframes, from, to }) =>
      symbols.flatMap((symbol) => timeframes.map((timeframe) => ({ symbol, timeframe: timeframe as z.infer<typeof timeframeSchema>, since: from!, until: to }))),
  },
  async handle(context, { since, until, ...series }, runId) {
    const progress = await backfillCandles(
      { sessions: context.sessions, source: context.source, runId },
      {
        ...series,
        since,
        until,
        onProgress: (p) => void reportProgress(context.pool, runId, p.total ? p.fetched / p.total : 0).catch(() => {}),
      },
    );
    // A backfill labels what it wrote, like the command line's.
    if (progress.range) {
      await labelWrittenCandles({ sessions: context.sessions }, { ...series, range: progress.range, specs: context.cfg.LABEL_SPECS, basket: context.cfg.TRACKED_SYMBOLS });
    }
    return { rowsWritten: progress.written, rowsQuarantined: progress.quarantined, gaps: progress.gaps };
  },
});
