import { z } from 'zod';
import { generateLabels } from '../../labels';
import { symbolSchema } from '../../zod/market';
import { defineJobKind } from '../kind';

/** Labels for every candle whose horizon has passed since the last run (idempotent). */
export const labels = defineJobKind({
  id: 'labels',
  queue: 'generate-labels',
  payload: z.object({ symbols: z.array(symbolSchema).min(1) }),
  trigger: { label: 'Labels', asks: { timeframes: false, from: 'no' }, payloads: ({ symbols }) => [{ symbols }] },
  schedule: (cfg) => [{ key: 'labels', cron: '10 * * * *', payloads: [{ symbols: [...cfg.TRACKED_SYMBOLS] }] }],
  async handle(context, { symbols }) {
    const result = await generateLabels({ sessions: context.sessions }, { symbols });
    return { rowsWritten: Object.values(result.written).reduce((sum, n) => sum + n, 0) };
  },
});
