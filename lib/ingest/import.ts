import path from 'node:path';
import type { Sessions } from '@/lib/db/sql';
import { readCandleBatches } from '@/lib/market/csv-stream';
import { validateCandles } from '@/lib/market/validate';
import type { RetentionTiers } from '@/lib/db/retention-tiers';
import { checkExpiring, type Expiring } from './expiring';
import { summarizeGaps, type GapSummary } from './gap-report';
import { readCandlesBefore, type Series } from './series';
import { recomputeFeatures, refreshOldRollups, storeCandles, type StoreResult } from './store';

export interface ImportRequest extends Series {
  file: string;
  /** Recorded as `source`; defaults to 'csv'. Never 'simulated': a file is not the simulator. */
  source?: string;
  maxJump?: number;
  now?: number;
  /** The retention tiers: candles they would delete now are refused unless allowExpiring. */
  retention?: { tiers: RetentionTiers; allowExpiring?: boolean };
  /** Candles per committed batch (default 10,000). */
  batchSize?: number;
  /** After each committed batch: how far through the file the import is. */
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportProgress {
  bytesRead: number;
  totalBytes: number;
  candles: number;
  written: number;
}

export interface ImportResult extends StoreResult {
  /** Rows read from the file. */
  candles: number;
  /** Candles still open at import time (a file saved mid-candle): not stored, not rejected. */
  notClosed: number;
  layout: string;
  /** Transactions committed. */
  batches: number;
  /** Missing candles between the file's accepted candles. */
  gaps: GapSummary;
  /** Candles the retention tiers will delete (now or later); null when they keep them all. */
  expiring: Expiring | null;
}

/**
 * Stores a CSV of candles (standard header or CryptoDataDownload layout) with their features,
 * validated like exchange data, rejects quarantined. The file is read as a stream and stored in
 * batches, each its own transaction, so memory stays bounded whatever the file's size and an
 * interrupted import keeps what it committed. Re-running the same file completes it: stored rows
 * that are unchanged are not rewritten (the upsert compares), so a re-run or a resume is idempotent.
 * Features after the file's last candle are recomputed once, at the end. A file whose oldest
 * candles the retention tiers would delete at once is refused before anything is written.
 */
export async function importCandlesFile(sessions: Sessions, request: ImportRequest): Promise<ImportResult> {
  const source = request.source ?? 'csv';
  if (source === 'simulated') throw new Error("--source simulated is reserved for the simulator's own rows");
  const series: Series = { symbol: request.symbol, timeframe: request.timeframe };
  const now = request.now ?? Date.now();
  const { layout, totalBytes, batches } = await readCandleBatches(request.file, request.batchSize ?? 10_000);
  const total: ImportResult = {
    written: 0, replaced: 0, keptReal: 0, quarantined: 0, range: null, candles: 0, notClosed: 0,
    layout: `${layout} layout, ${path.basename(request.file)}`, batches: 0, gaps: summarizeGaps([], series.timeframe), expiring: null,
  };
  // 8 bytes per candle, for the gap report and the retention check over the whole file.
  const timestamps: number[] = [];

  for await (const batch of batches) {
    const stored = await sessions(async (db) => {
      const first = batch.candles[0];
      // The row before the batch (the previous batch's last, or what was stored) anchors the jump check.
      const previous = first ? (await readCandlesBefore(db, series, first.timestamp, 1))[0] : undefined;
      const { accepted, rejected, open } = validateCandles(batch.candles, { timeframe: series.timeframe, now, maxJump: request.maxJump, previous });
      total.notClosed += open.length;
      // Rows come oldest first: if any candle is already past retention, the first batch holds it,
      // and refusing here (before its transaction) leaves the database as it was.
      if (total.batches === 0) checkExpiring(accepted.map((c) => c.timestamp), series.timeframe, request.retention, now);
      for (const candle of accepted) timestamps.push(candle.timestamp);
      // Each batch continues from the engine state its predecessor checkpointed (lib/ingest/store.ts),
      // so features equal one pass over the file.
      return storeCandles(db, { ...series, source, candles: accepted, rejected, now, recomputeAfter: false, refreshRollups: false });
    });
    total.candles += batch.candles.length;
    total.batches += 1;
    total.written += stored.written;
    total.replaced += stored.replaced;
    total.keptReal += stored.keptReal;
    total.quarantined += stored.quarantined;
    if (stored.range) total.range = { from: Math.min(total.range?.from ?? Infinity, stored.range.from), to: Math.max(total.range?.to ?? -Infinity, stored.range.to) };
    request.onProgress?.({ bytesRead: batch.bytesRead, totalBytes, candles: total.candles, written: total.written });
  }
  if (total.range) {
    const range = total.range;
    await sessions(async (db) => {
      // Stored candles after the file continue from its last candle: their features follow it.
      const tail = await recomputeFeatures(db, series, range.to + 1);
      total.written += tail.written;
      await refreshOldRollups(db, { from: range.from, to: Math.max(range.to, tail.range?.to ?? range.to) }, now);
    });
  }
  total.gaps = summarizeGaps(timestamps, series.timeframe);
  total.expiring = request.retention ? checkExpiring(timestamps, series.timeframe, { ...request.retention, allowExpiring: true }, now) : null;
  return total;
}
