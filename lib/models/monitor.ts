import type { Pool } from 'pg';
import { labelSource } from '@/lib/labels/definitions';
import { readFeatureRows } from './dataset';
import { DEFAULT_DRIFT_THRESHOLDS, featureDrift, labelShift, worstFirst, type DriftThresholds, type FeatureDrift, type LabelShift } from './drift';
import { calibrationBins, classificationMetrics, rollingAccuracy, type CalibrationBin, type Metrics, type RollingPoint } from './metrics';
import type { ModelDeps } from './predictions';
import { getModelRow } from './registry';

/**
 * What happened after a model went live: its stored predictions scored against the labels realized
 * since (rolling accuracy, calibration, metrics), and the drift of its features and of the label
 * distribution between its training window and a recent window.
 */
export interface DriftReport {
  modelId: string;
  symbol: string;
  reference: { from: string; to: string } | null;
  recent: { from: string; to: string };
  thresholds: DriftThresholds;
  features: FeatureDrift[];
  labels: LabelShift | null;
  /** Why there is nothing to compare (no training window registered). */
  reason?: string;
}

export async function driftReport(deps: ModelDeps, modelId: string, options: { symbol: string; now: Date; recentDays: number; thresholds?: DriftThresholds }): Promise<DriftReport> {
  const row = await getModelRow(deps.prisma, modelId);
  const thresholds = options.thresholds ?? DEFAULT_DRIFT_THRESHOLDS;
  const features = row.featureSet as string[];
  const recentWindow = { from: new Date(options.now.getTime() - options.recentDays * 86_400_000), to: options.now };
  const base = { modelId, symbol: options.symbol, thresholds, recent: { from: recentWindow.from.toISOString(), to: recentWindow.to.toISOString() } };
  if (!row.trainingStart || !row.trainingEnd) {
    return { ...base, reference: null, features: [], labels: null, reason: 'the model was registered without a training window: there is no reference to compare with' };
  }
  const label = { type: row.labelType, horizon: row.labelHorizon ?? '4h' };
  const read = (from: Date, to: Date) => readFeatureRows(deps.pool, { symbol: options.symbol, timeframe: row.timeframe, features, from, to, label });
  const [reference, recent] = await Promise.all([read(row.trainingStart, row.trainingEnd), read(recentWindow.from, recentWindow.to)]);
  const column = (rows: typeof reference, j: number) => rows.features.map((values) => values[j]);
  const drifts = features.map((feature, j) => featureDrift(feature, column(reference, j), column(recent, j), thresholds));
  const realized = (rows: typeof reference) => rows.labels.filter((l): l is string => l !== null);
  return {
    ...base,
    reference: { from: row.trainingStart.toISOString(), to: row.trainingEnd.toISOString() },
    features: worstFirst(drifts),
    labels: labelShift(row.classNames as string[], realized(reference), realized(recent), thresholds),
  };
}

export interface RealizedPerformance {
  modelId: string;
  symbol: string;
  predictions: number;
  /** Predictions whose label has been realized. */
  scored: number;
  metrics: Metrics | null;
  rolling: RollingPoint[];
  calibration: CalibrationBin[];
}

interface ScoredRow {
  ts: number;
  probabilities: Record<string, number>;
  predicted: string;
  confidence: number;
  label: string | null;
}

export async function realizedPerformance(deps: ModelDeps, modelId: string, options: { symbol: string; from: Date; to: Date; window: number }): Promise<RealizedPerformance> {
  const row = await getModelRow(deps.prisma, modelId);
  const classNames = row.classNames as string[];
  const { rows } = await (deps.pool as Pool).query<ScoredRow>(
    `select (extract(epoch from p.timestamp) * 1000)::float8 as ts, p.class_probabilities as probabilities, p.predicted_label as predicted,
            p.confidence, l.label_value as label
       from ml_predictions p
       left join ml_labels l on l.symbol = p.symbol and l.timestamp = p.timestamp and l.label_type = $4 and l.horizon = $5 and l.source = $6
      where p.model_id = $1 and p.symbol = $2 and p.timestamp >= $3 and p.timestamp < $7
      order by p.timestamp`,
    [modelId, options.symbol, options.from.toISOString(), row.labelType, row.labelHorizon ?? '4h', labelSource(row.timeframe), options.to.toISOString()],
  );
  const scored = rows.filter((r) => r.label !== null && classNames.includes(r.label));
  const correct = scored.map((r) => r.predicted === r.label);
  return {
    modelId,
    symbol: options.symbol,
    predictions: rows.length,
    scored: scored.length,
    metrics: scored.length
      ? classificationMetrics(scored.map((r) => classNames.indexOf(r.label!)), scored.map((r) => classNames.map((c) => r.probabilities[c] ?? 0)), classNames)
      : null,
    rolling: thin(rollingAccuracy(scored.map((r, i) => ({ timestamp: r.ts, correct: correct[i] })), options.window), 500),
    calibration: calibrationBins(scored.map((r) => r.confidence), correct),
  };
}

/** At most `max` evenly spaced points, keeping the last: enough for a chart. */
function thin<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out = Array.from({ length: max - 1 }, (_, i) => points[Math.floor(i * step)]);
  out.push(points.at(-1)!);
  return out;
}
