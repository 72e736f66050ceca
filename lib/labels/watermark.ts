import type { Session, Sessions } from '@/lib/db/sql';
import { timeframeMs } from '@/lib/market/timeframe';
import { horizonMs } from './compute';
import { VOLATILITY_WINDOW, type LabelSpec } from './definitions';
import { generateLabels, type GenerateLabelsResult } from './generate';
import { DEFAULT_SPEC_LIST } from './specs';

/**
 * The worker's labelling: per series (symbol, timeframe) a watermark says up to which label time
 * everything was labelled. Each run labels from the oldest watermark of its symbols (minus the
 * windows a late candle could still change) to now, so a worker that was down for a week catches
 * up in its next run instead of leaving a hole older than a fixed look-back.
 */
export interface WatermarkRequest {
  symbols: readonly string[];
  timeframe?: string;
  specs?: readonly LabelSpec[];
}

export async function readWatermarks(db: Session, symbols: readonly string[], timeframe: string): Promise<Map<string, number>> {
  const { rows } = await db.query<{ symbol: string; through: number }>(
    `select symbol, (extract(epoch from labelled_through) * 1000)::float8 as through from label_watermarks where timeframe = $2 and symbol = any($1::text[])`,
    [symbols, timeframe],
  );
  return new Map(rows.map((r) => [r.symbol, r.through]));
}

export async function labelBehindWatermarks(deps: { sessions: Sessions; now?: () => number }, request: WatermarkRequest): Promise<GenerateLabelsResult & { resumedFrom: number | null }> {
  const timeframe = request.timeframe ?? '1h';
  const specs = request.specs ?? DEFAULT_SPEC_LIST;
  const step = timeframeMs(timeframe);
  const marks = await deps.sessions((db) => readWatermarks(db, request.symbols, timeframe));
  // A series without a watermark has never been labelled by the worker: its whole history.
  const unmarked = request.symbols.some((s) => !marks.has(s));
  const oldest = unmarked ? null : Math.min(...marks.values());
  const overlap = Math.max(...specs.map((s) => horizonMs(s.horizon))) + VOLATILITY_WINDOW * step;
  const from = oldest === null ? undefined : oldest + step - overlap;
  const result = await generateLabels(deps, { symbols: request.symbols, timeframe, specs, from });
  if (result.settledThrough !== null) {
    const through = result.settledThrough;
    const labelled = request.symbols.filter((s) => !result.skipped[s]);
    await deps.sessions((db) =>
      db.query(
        `insert into label_watermarks (symbol, timeframe, labelled_through)
         select s, $2, $3 from unnest($1::text[]) as s
         on conflict (symbol, timeframe) do update set labelled_through = greatest(label_watermarks.labelled_through, excluded.labelled_through), updated_at = now()`,
        [labelled, timeframe, new Date(through)],
      ),
    );
  }
  return { ...result, resumedFrom: from ?? result.range?.from ?? null };
}
