import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseCandlesCsv } from '@/lib/market/csv';
import { validateCandles } from '@/lib/market/validate';
import type { RetentionTiers } from '@/lib/db/retention-tiers';
import { checkExpiring, type Expiring } from './expiring';
import { summarizeGaps, type GapSummary } from './gap-report';
import { readCandlesBefore, type Series } from './series';
import type { Sessions } from '@/lib/db/sql';
import { storeCandles, type StoreResult } from './store';

export interface ImportRequest extends Series {
  file: string;
  /** Recorded as `source`; defaults to 'csv'. Never 'simulated': a file is not the simulator. */
  source?: string;
  maxJump?: number;
  now?: number;
  /** The retention tiers: candles they would delete now are refused unless allowExpiring. */
  retention?: { tiers: RetentionTiers; allowExpiring?: boolean };
}

export interface ImportResult extends StoreResult {
  /** Rows read from the file. */
  candles: number;
  /** Candles still open at import time (a file saved mid-candle): not stored, not rejected. */
  notClosed: number;
  layout: string;
  /** Missing candles between the file's accepted candles. */
  gaps: GapSummary;
  /** Candles the retention tiers will delete (now or later); null when they keep them all. */
  expiring: Expiring | null;
}

/**
 * Stores a CSV of candles (standard header or CryptoDataDownload layout) with their features, as
 * one batch: validated like exchange data, rejects quarantined, all in one transaction.
 */
export async function importCandlesFile(sessions: Sessions, request: ImportRequest): Promise<ImportResult> {
  const source = request.source ?? 'csv';
  if (source === 'simulated') throw new Error("--source simulated is reserved for the simulator's own rows");
  const parsed = parseCandlesCsv(await readFile(request.file, 'utf8'));
  const series: Series = { symbol: request.symbol, timeframe: request.timeframe };
  const now = request.now ?? Date.now();
  return sessions(async (db) => {
    const first = parsed.candles[0];
    const previous = first ? (await readCandlesBefore(db, series, first.timestamp, 1))[0] : undefined;
    const { accepted, rejected, open } = validateCandles(parsed.candles, { timeframe: series.timeframe, now, maxJump: request.maxJump, previous });
    const timestamps = accepted.map((c) => c.timestamp);
    // Before anything is written: refusing here leaves the database as it was.
    const expiring = checkExpiring(timestamps, series.timeframe, request.retention, now);
    const stored = await storeCandles(db, { ...series, source, candles: accepted, rejected, now });
    const layout = `${parsed.layout} layout, ${path.basename(request.file)}`;
    return { ...stored, candles: parsed.candles.length, notClosed: open.length, layout, gaps: summarizeGaps(timestamps, series.timeframe), expiring };
  });
}
