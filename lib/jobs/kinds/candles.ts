import { z } from 'zod';
import { collectCandleSeries, collectCandles, type CollectResult } from '../../ingest/collect';
import { symbolSchema, timeframeSchema } from '../../zod/market';
import { cronFor } from '../definitions';
import { defineJobKind, RunFailed } from '../kind';

export const CANDLE_QUEUE = 'collect-candles';

/** The newest closed candles of one series, falling back to flagged simulated ones when the exchange fails. */
export const candles = defineJobKind({
  id: 'candles',
  queue: CANDLE_QUEUE,
  payload: z.object({ symbol: symbolSchema, timeframe: timeframeSchema }),
  series: ({ symbol, timeframe }) => ({ symbol, timeframe }),
  trigger: {
    label: 'Candles (what is missing)',
    asks: { timeframes: true, from: 'no' },
    payloads: ({ symbols, timeframes }) => symbols.flatMap((symbol) => timeframes.map((timeframe) => ({ symbol, timeframe: timeframe as z.infer<typeof timeframeSchema> }))),
  },
  // Shortly after each candle closes, for every tracked series.
  schedule: (cfg) =>
    cfg.TRACKED_TIMEFRAMES.map((timeframe) => ({
      key: `candles-${timeframe}`,
      cron: cronFor(timeframe),
      payloads: cfg.TRACKED_SYMBOLS.map((symbol) => ({ symbol, timeframe })),
    })),
  async handle(context, series, runId) {
    const result = outcome(await collectCandles({ sessions: context.sessions, source: context.source, breaker: context.breaker, runId }, series));
    if (result instanceof Error) throw result;
    return result;
  },
  // A cycle over every series the worker took from the queue: requests in parallel, one transaction.
  async handleMany(context, runs) {
    const deps = { sessions: context.sessions, source: context.source, breaker: context.breaker, concurrency: context.cfg.EXCHANGE_CONCURRENCY };
    const results = await collectCandleSeries(deps, runs.map(({ payload, runId }) => ({ ...payload, runId })));
    return results.map(outcome);
  },
});

/** A fallback stored flagged simulated rows and is a finished run; a failure stored nothing usable. */
function outcome(result: CollectResult) {
  const counts = { rowsWritten: result.written, rowsSimulated: result.simulated, rowsQuarantined: result.quarantined, gaps: result.gaps };
  return result.outcome === 'failed' ? new RunFailed(result.error ?? 'collection failed', counts) : counts;
}
