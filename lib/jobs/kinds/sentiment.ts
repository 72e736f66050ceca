import { z } from 'zod';
import { collectSentiment } from '../../sentiment';
import { symbolSchema } from '../../zod/market';
import { defineJobKind, RunFailed } from '../kind';

/** One sentiment row per symbol for the last full hour; each source falls back on its own. */
export const sentiment = defineJobKind({
  id: 'sentiment',
  queue: 'collect-sentiment',
  payload: z.object({ symbols: z.array(symbolSchema).min(1) }),
  trigger: { label: 'Sentiment', asks: { timeframes: false, from: 'no' }, payloads: ({ symbols }) => [{ symbols }] },
  schedule: (cfg) => [{ key: 'sentiment', cron: '5 * * * *', payloads: [{ symbols: [...cfg.TRACKED_SYMBOLS] }] }],
  async handle(context, { symbols }, runId) {
    const result = await collectSentiment(
      { sessions: context.sessions, config: context.sentiment, runId, breakerFor: context.sentimentBreakers },
      { symbols },
    );
    if (result.error) throw new RunFailed(result.error);
    return {
      rowsWritten: result.rows.filter((row) => row.written).length,
      rowsSimulated: result.rows.filter((row) => row.written && row.simulatedInputs.length > 0).length,
    };
  },
});
