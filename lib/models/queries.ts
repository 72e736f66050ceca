import { z } from 'zod';
import { config } from '@/lib/config/env';
import { SYMBOL_PATTERN } from '@/lib/market/symbol';
import { MODEL_FEATURES, MODEL_KINDS, MODEL_STATUSES, type ModelRecord } from './contract';
import { driftReport, realizedPerformance } from './monitor';
import type { ModelDeps } from './predictions';
import { getModel, getModelRow, listModels } from './registry';

/**
 * The read side of the models API (GET /api/models, /api/models/:id, /api/predictions): query
 * strings validated with zod, answers assembled here so the routes stay thin.
 */
const DAY_MS = 86_400_000;
const instant = z.iso.datetime({ offset: true }).or(z.iso.date()).transform((value) => new Date(value.length === 10 ? `${value}T00:00:00Z` : value));

export const modelIdParam = z.string().trim().min(3).max(170).regex(/^[A-Za-z0-9._-]+@[A-Za-z0-9._-]+$/, 'a model id is name@version');

export const modelListQuery = z.object({
  status: z.enum(MODEL_STATUSES).optional(),
  kind: z.enum(MODEL_KINDS).optional(),
});

export const modelDetailQuery = z.object({
  symbol: z.string().trim().regex(SYMBOL_PATTERN, 'symbol looks like BTC/USDT').optional(),
  recentDays: z.coerce.number().int().min(1).max(365).optional(),
  /** The end of the recent drift window and of the realized-performance window; default now. */
  end: instant.optional(),
  window: z.coerce.number().int().min(10).max(5_000).default(168),
});

export const predictionsQuery = z
  .object({
    model: modelIdParam,
    symbol: z.string().trim().regex(SYMBOL_PATTERN, 'symbol looks like BTC/USDT'),
    from: instant,
    to: instant,
  })
  .refine((q) => q.to > q.from, { path: ['to'], message: 'must be after from' })
  .refine((q) => q.to.getTime() - q.from.getTime() <= 400 * DAY_MS, { path: ['to'], message: 'a range is at most 400 days' });

export type ModelSummary = ModelRecord;

export async function listModelSummaries(deps: ModelDeps, q: z.infer<typeof modelListQuery>) {
  const models = (await listModels(deps.prisma, q.status ? { status: q.status } : {})).filter((m) => !q.kind || m.kind === q.kind);
  return { models, features: MODEL_FEATURES };
}

/** One version: its registration, walk-forward evaluation, realized performance and drift for one symbol. */
export async function modelDetail(deps: ModelDeps, modelId: string, q: z.infer<typeof modelDetailQuery>) {
  const model = await getModel(deps.prisma, modelId);
  const symbol = q.symbol ?? model.symbols[0] ?? config().TRACKED_SYMBOLS[0]!;
  const latest = await deps.pool.query<{ ts: Date | null }>('select max(timestamp) as ts from ml_predictions where model_id = $1 and symbol = $2', [modelId, symbol]);
  // Without an explicit end, the windows end at the newest prediction (history filled for 2022 is judged on 2022).
  const end = q.end ?? latest.rows[0]?.ts ?? new Date();
  const recentDays = q.recentDays ?? config().MODEL_DRIFT_RECENT_DAYS;
  const thresholds = driftThresholds();
  const [performance, drift] = await Promise.all([
    realizedPerformance(deps, modelId, { symbol, from: new Date(end.getTime() - 365 * DAY_MS), to: new Date(end.getTime() + 1), window: q.window }),
    driftReport(deps, modelId, { symbol, now: new Date(end.getTime() + 1), recentDays, thresholds }),
  ]);
  return { model, symbol, performance, drift };
}

export function driftThresholds() {
  const cfg = config();
  return {
    psiAmber: cfg.MODEL_DRIFT_PSI_AMBER,
    psiRed: cfg.MODEL_DRIFT_PSI_RED,
    ksAmber: cfg.MODEL_DRIFT_KS_AMBER,
    ksRed: cfg.MODEL_DRIFT_KS_RED,
    minRows: cfg.MODEL_DRIFT_MIN_ROWS,
    bins: 10,
  };
}

export interface PredictionPoint {
  t: number;
  close: number | null;
  predicted: string;
  confidence: number | null;
  probabilities: Record<string, number>;
  /** The realized label, once its horizon has passed. */
  label: string | null;
}

/** A model's predictions for a series with the candle's close and the realized label beside each. */
export async function predictionSeries(deps: ModelDeps, q: z.infer<typeof predictionsQuery>) {
  const row = await getModelRow(deps.prisma, q.model);
  const { rows } = await deps.pool.query<PredictionPoint>(
    `select (extract(epoch from p.timestamp) * 1000)::float8 as t, f.close_price as close, p.predicted_label as predicted, p.confidence,
            p.class_probabilities as probabilities, l.label_value as label
       from ml_predictions p
       left join ml_features_ohlcv f on f.symbol = p.symbol and f.timeframe = p.timeframe and f.timestamp = p.timestamp
       left join ml_labels l on l.symbol = p.symbol and l.timestamp = p.timestamp and l.label_type = $5 and l.horizon = $6 and l.source = 'ohlcv:' || p.timeframe
      where p.model_id = $1 and p.symbol = $2 and p.timestamp >= $3 and p.timestamp < $4
      order by p.timestamp`,
    [q.model, q.symbol, q.from.toISOString(), q.to.toISOString(), row.labelType, row.labelHorizon ?? '4h'],
  );
  return { model: q.model, symbol: q.symbol, classNames: row.classNames as string[], timeframe: row.timeframe, points: rows };
}
