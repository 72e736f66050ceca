import { buildTrainingSet, labelColumns, parseExportRequest } from '@/lib/export';
import { horizonMs } from '@/lib/labels/compute';
import type { LabelType } from '@/lib/labels/definitions';
import { LABEL_VALUES } from '@/lib/labels/definitions';
import { DEFAULT_LOGISTIC_OPTIONS, fitLogistic, fitMajority } from './baselines';
import type { Registration } from './contract';
import { readFeatureRows } from './dataset';
import { ModelContractError } from './errors';
import { loadScorer } from './load';
import type { ModelDeps } from './predictions';
import { getModelRow, registerModel, storeEvaluation } from './registry';
import { evaluateWalkForward, type FitPredictor, type LabelledRows, type WalkForwardResult } from './walk-forward';

/**
 * Walk-forward evaluation of a registered version on stored history, and the built-in baselines'
 * training. Evaluation uses real candles with realized labels only (simulated rows are left out, as
 * the training-set export leaves them out); a registered ONNX model is fixed, so it is never judged
 * on rows inside its own training window (plus the label horizon).
 */
export interface EvaluationRange {
  symbol: string;
  from: Date;
  to: Date;
  folds?: number;
}

/** The logistic baseline refits on at most this many of each fold's most recent training rows. */
export const MAX_BASELINE_TRAIN_ROWS = 4_000;

function labelled(data: Awaited<ReturnType<typeof readFeatureRows>>, classNames: string[]): LabelledRows {
  const rows: LabelledRows = { timestamps: [], features: [], labels: [] };
  data.timestamps.forEach((t, i) => {
    const label = data.labels[i];
    if (!data.complete[i] || data.simulated[i] || label === null) return;
    const index = classNames.indexOf(label);
    if (index < 0) return;
    rows.timestamps.push(t);
    rows.features.push(data.features[i]);
    rows.labels.push(index);
  });
  return rows;
}

const recent = (rows: LabelledRows): LabelledRows => {
  const start = Math.max(0, rows.labels.length - MAX_BASELINE_TRAIN_ROWS);
  return { timestamps: rows.timestamps.slice(start), features: rows.features.slice(start), labels: rows.labels.slice(start) };
};

export function fitterFor(kind: string, classes: number): FitPredictor | null {
  if (kind === 'majority') return (train) => fitMajority(train.labels, classes).predict;
  if (kind === 'logistic_regression') return (train) => { const r = recent(train); return fitLogistic(r.features, r.labels, classes, DEFAULT_LOGISTIC_OPTIONS).predict; };
  return null;
}

export function metricsSummary(result: WalkForwardResult): Record<string, unknown> {
  const pick = (m: WalkForwardResult['overall']['model']) => ({ accuracy: m.accuracy, balancedAccuracy: m.balancedAccuracy, logLoss: m.logLoss, brier: m.brier });
  return { walkForward: { rows: result.overall.rows, folds: result.folds.length, model: pick(result.overall.model), majorityBaseline: pick(result.overall.baseline) } };
}

export async function evaluateModel(deps: ModelDeps, modelId: string, range: EvaluationRange): Promise<WalkForwardResult> {
  const row = await getModelRow(deps.prisma, modelId);
  const classNames = row.classNames as string[];
  const horizon = horizonMs(row.labelHorizon ?? '4h');
  const data = await readFeatureRows(deps.pool, {
    symbol: range.symbol, timeframe: row.timeframe, features: row.featureSet as string[], from: range.from, to: range.to,
    label: { type: row.labelType, horizon: row.labelHorizon ?? '4h' },
  });
  const rows = labelled(data, classNames);
  if (rows.labels.length < 50) {
    throw new ModelContractError(`only ${rows.labels.length} real, labelled candles of ${range.symbol} ${row.timeframe} in the range: generate labels (or widen the range) first`);
  }
  const refit = fitterFor(row.kind, classNames.length);
  let fit: FitPredictor;
  let testable: (t: number) => boolean = () => true;
  if (refit) {
    fit = refit;
  } else {
    const scorer = await loadScorer(deps.prisma, row);
    fit = () => scorer.predict;
    const start = row.trainingStart?.getTime() ?? Number.NEGATIVE_INFINITY;
    const end = (row.trainingEnd?.getTime() ?? Number.NEGATIVE_INFINITY) + horizon;
    testable = (t) => t < start || t > end;
  }
  const result = await evaluateWalkForward(rows, classNames, { folds: range.folds ?? 5, purgeMs: horizon, minTrainRows: 50 }, fit, testable);
  const evaluation = { ...result, symbol: range.symbol, from: range.from.toISOString(), to: range.to.toISOString(), evaluatedAt: new Date().toISOString() };
  await storeEvaluation(deps.prisma, modelId, evaluation, metricsSummary(result));
  return result;
}

export interface BaselineRequest {
  kind: 'majority' | 'logistic_regression';
  registration: Registration;
  symbol: string;
  from: Date;
  to: Date;
}

/** Trains a baseline from the training-set export of [from, to) and registers it as a candidate. */
export async function trainBaseline(deps: ModelDeps, request: BaselineRequest) {
  const { registration } = request;
  const features = registration.features;
  if (features.length === 0) throw new ModelContractError('features: name the features the baseline learns from');
  const classNames = [...LABEL_VALUES[registration.labelType as LabelType]];
  const exportRequest = parseExportRequest({
    symbols: [request.symbol], timeframes: [registration.timeframe], from: request.from.toISOString(), to: request.to.toISOString(),
    labels: [`${registration.labelType}:${registration.horizon}`], simulated: 'drop', includeGaps: false,
  });
  const set = await buildTrainingSet(deps.pool, exportRequest);
  const labelColumn = labelColumns(exportRequest.labels[0]!).value;
  const train: LabelledRows = { timestamps: [], features: [], labels: [] };
  for (const row of set.rows) {
    const values = Float64Array.from(features, (f) => (row[f as keyof typeof row] as number | null) ?? Number.NaN);
    if (values.some((v) => !Number.isFinite(v))) continue;
    train.timestamps.push(row.timestamp as number);
    train.features.push(values);
    train.labels.push(classNames.indexOf(row[labelColumn] as string));
  }
  if (train.labels.length < 50) throw new ModelContractError(`only ${train.labels.length} complete training rows in the export: widen the range or generate labels first`);
  const last = recent(train);
  const parameters = request.kind === 'majority'
    ? fitMajority(train.labels, classNames.length).parameters
    : fitLogistic(last.features, last.labels, classNames.length, DEFAULT_LOGISTIC_OPTIONS).parameters;
  return registerModel(deps.prisma, {
    ...registration,
    trainingStart: new Date(train.timestamps[0]),
    trainingEnd: new Date(train.timestamps.at(-1)!),
  }, { kind: request.kind, parameters, features, classNames });
}
