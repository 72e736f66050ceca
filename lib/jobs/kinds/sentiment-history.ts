import { z } from 'zod';
import { backfillFearGreed, backfillSentimentRows } from '../../sentiment';
import { HOUR_MS } from '../../market/time';
import { symbolSchema } from '../../zod/market';
import { defineJobKind, RunFailed } from '../kind';

const instant = z.number().int().nonnegative();

/**
 * Sentiment history from the admin page, as `features sentiment` does it: the whole Fear & Greed
 * history, then the rows of past hours that have none, computed from what is stored (never
 * simulated). Without a start date: the last 30 days.
 */
export const sentimentHistory = defineJobKind({
  id: 'sentiment-history',
  queue: 'collect-sentiment',
  payload: z.object({ symbols: z.array(symbolSchema).min(1), since: instant.optional(), until: instant.optional() }),
  trigger: {
    label: 'Sentiment history (Fear & Greed and past rows)',
    asks: { timeframes: false, from: 'optional' },
    payloads: ({ symbols, from, to }) => [{ symbols, since: from, until: to }],
  },
  async handle(context, { symbols, since, until }, runId) {
    const now = Date.now();
    const history = await backfillFearGreed({ sessions: context.sessions, config: context.sentiment, runId });
    if (history.error) throw new RunFailed(`Fear & Greed history: ${history.error}`);
    const rows = await backfillSentimentRows({ sessions: context.sessions }, { symbols, from: since ?? now - 30 * 24 * HOUR_MS, to: until ?? now });
    return { rowsWritten: history.written + rows.written };
  },
});
