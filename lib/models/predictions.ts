import type { Pool } from 'pg';
import type { PrismaClient } from '@/lib/db/prisma';
import type { ModelMetadata } from '@/lib/generated/prisma/client';
import { readFeatureRows } from './dataset';
import { loadScorer } from './load';
import { argmax } from './metrics';
import { getModelRow } from './registry';
import type { Scorer } from './scorer';

/**
 * Predictions: one row per candle and model version in ml_predictions, with every class's
 * probability. Written in bulk through pg, idempotently: scoring a candle again writes nothing,
 * unless the stored prediction was made on a simulated candle and the candle is real now (then the
 * prediction is replaced). Each batch is one statement, so a failure leaves no half-written batch.
 */
export interface ModelDeps {
  pool: Pool;
  prisma: PrismaClient;
}

export interface PredictionRow {
  timestamp: number;
  symbol: string;
  modelId: string;
  timeframe: string;
  probabilities: number[];
  classNames: string[];
  simulated: boolean;
}

const WRITE_BATCH = 2_000;

/** Stores predictions; returns how many rows each model version wrote (new, or replacing a simulated candle's). */
export async function writePredictions(pool: Pool, rows: readonly PredictionRow[]): Promise<Map<string, number>> {
  const written = new Map<string, number>();
  for (let start = 0; start < rows.length; start += WRITE_BATCH) {
    const batch = rows.slice(start, start + WRITE_BATCH);
    const best = batch.map((row) => argmax(row.probabilities));
    const result = await pool.query<{ model_id: string }>(
      `insert into ml_predictions (timestamp, symbol, model_id, timeframe, predicted_label, confidence, class_probabilities, is_simulated)
       select to_timestamp(t / 1000.0), s, m, tf, l, c, p, sim
       from unnest($1::float8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::jsonb[], $8::bool[]) as u(t, s, m, tf, l, c, p, sim)
       on conflict (symbol, model_id, timestamp) do update
         set predicted_label = excluded.predicted_label, confidence = excluded.confidence,
             class_probabilities = excluded.class_probabilities, is_simulated = false, created_at = now()
         where ml_predictions.is_simulated and not excluded.is_simulated
       returning model_id`,
      [
        batch.map((r) => r.timestamp),
        batch.map((r) => r.symbol),
        batch.map((r) => r.modelId),
        batch.map((r) => r.timeframe),
        batch.map((r, i) => r.classNames[best[i]]),
        batch.map((r, i) => Math.min(1, Math.max(0, r.probabilities[best[i]]))),
        batch.map((r) => JSON.stringify(Object.fromEntries(r.classNames.map((name, c) => [name, r.probabilities[c]])))),
        batch.map((r) => r.simulated),
      ],
    );
    for (const { model_id } of result.rows) written.set(model_id, (written.get(model_id) ?? 0) + 1);
  }
  return written;
}

export interface ScoreSummary {
  modelId: string;
  symbol: string;
  candles: number;
  /** Candles with an input missing (warm-up, no sentiment): not scored. */
  skipped: number;
  scored: number;
  written: number;
}

const SCORE_BATCH = 4_096;

/**
 * Scores every candle of one series in [from, to) with several model versions of its timeframe: one
 * read of the union of their features, one ONNX/baseline run per model, one bulk write.
 */
export async function scoreSeries(pool: Pool, scorers: readonly Scorer[], timeframe: string, symbol: string, from: Date, to: Date): Promise<ScoreSummary[]> {
  const features = [...new Set(scorers.flatMap((s) => s.features))];
  const data = await readFeatureRows(pool, { symbol, timeframe, features, from, to });
  const predictions: PredictionRow[] = [];
  const summaries: ScoreSummary[] = [];
  for (const scorer of scorers) {
    const columns = scorer.features.map((f) => features.indexOf(f));
    const rows: Float64Array[] = [];
    const at: number[] = [];
    data.features.forEach((values, i) => {
      const row = Float64Array.from(columns, (c) => values[c]);
      if (row.every(Number.isFinite)) {
        rows.push(row);
        at.push(i);
      }
    });
    for (let start = 0; start < rows.length; start += SCORE_BATCH) {
      const probabilities = await scorer.predict(rows.slice(start, start + SCORE_BATCH));
      probabilities.forEach((p, k) => {
        const i = at[start + k];
        predictions.push({ timestamp: data.timestamps[i], symbol, modelId: scorer.modelId, timeframe, probabilities: p, classNames: scorer.classNames, simulated: data.simulated[i] });
      });
    }
    summaries.push({ modelId: scorer.modelId, symbol, candles: data.timestamps.length, skipped: data.timestamps.length - rows.length, scored: rows.length, written: 0 });
  }
  const written = await writePredictions(pool, predictions);
  for (const summary of summaries) summary.written = written.get(summary.modelId) ?? 0;
  return summaries;
}

/** The symbols a model scores: its registered ones, or every tracked symbol. */
export const symbolsOf = (row: Pick<ModelMetadata, 'symbols'>, tracked: readonly string[]) => ((row.symbols as string[]).length ? (row.symbols as string[]) : [...tracked]);

/** `models predict --from --to`: fills a model's predictions over history. */
export async function predictRange(deps: ModelDeps, modelId: string, range: { from: Date; to: Date; symbols: readonly string[] }): Promise<ScoreSummary[]> {
  const row = await getModelRow(deps.prisma, modelId);
  const scorer = await loadScorer(deps.prisma, row);
  const out: ScoreSummary[] = [];
  for (const symbol of symbolsOf(row, range.symbols)) out.push(...(await scoreSeries(deps.pool, [scorer], row.timeframe, symbol, range.from, range.to)));
  return out;
}

/**
 * The worker's live step: every active model scores the candles of the last `lookbackMs` it has not
 * scored yet (a missed run is caught up by the next one within the look-back).
 */
export async function scoreNewCandles(deps: ModelDeps, options: { now: Date; lookbackMs: number; trackedSymbols: readonly string[] }): Promise<ScoreSummary[]> {
  const active = await deps.prisma.modelMetadata.findMany({ where: { status: 'active' }, orderBy: { modelId: 'asc' } });
  const from = new Date(options.now.getTime() - options.lookbackMs);
  // One read and one write per series, however many models score it.
  const series = new Map<string, { timeframe: string; symbol: string; scorers: Scorer[] }>();
  for (const row of active) {
    const scorer = await loadScorer(deps.prisma, row);
    for (const symbol of symbolsOf(row, options.trackedSymbols)) {
      const key = `${row.timeframe}|${symbol}`;
      if (!series.has(key)) series.set(key, { timeframe: row.timeframe, symbol, scorers: [] });
      series.get(key)!.scorers.push(scorer);
    }
  }
  const out: ScoreSummary[] = [];
  for (const { timeframe, symbol, scorers } of series.values()) out.push(...(await scoreSeries(deps.pool, scorers, timeframe, symbol, from, options.now)));
  return out;
}
