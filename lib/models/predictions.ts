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

export async function writePredictions(pool: Pool, rows: readonly PredictionRow[]): Promise<number> {
  let written = 0;
  for (let start = 0; start < rows.length; start += WRITE_BATCH) {
    const batch = rows.slice(start, start + WRITE_BATCH);
    const best = batch.map((row) => argmax(row.probabilities));
    const result = await pool.query(
      `insert into ml_predictions (timestamp, symbol, model_id, timeframe, predicted_label, confidence, class_probabilities, is_simulated)
       select to_timestamp(t / 1000.0), s, m, tf, l, c, p, sim
       from unnest($1::float8[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::jsonb[], $8::bool[]) as u(t, s, m, tf, l, c, p, sim)
       on conflict (symbol, model_id, timestamp) do update
         set predicted_label = excluded.predicted_label, confidence = excluded.confidence,
             class_probabilities = excluded.class_probabilities, is_simulated = false, created_at = now()
         where ml_predictions.is_simulated and not excluded.is_simulated`,
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
    written += result.rowCount ?? 0;
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

/** Scores every candle of a series in [from, to) with one model version and stores the predictions. */
export async function scoreSeries(pool: Pool, scorer: Scorer, row: Pick<ModelMetadata, 'timeframe'>, symbol: string, from: Date, to: Date): Promise<ScoreSummary> {
  const data = await readFeatureRows(pool, { symbol, timeframe: row.timeframe, features: scorer.features, from, to });
  const indices = data.complete.flatMap((complete, i) => (complete ? [i] : []));
  const predictions: PredictionRow[] = [];
  for (let start = 0; start < indices.length; start += SCORE_BATCH) {
    const batch = indices.slice(start, start + SCORE_BATCH);
    const probabilities = await scorer.predict(batch.map((i) => data.features[i]));
    batch.forEach((i, k) => predictions.push({
      timestamp: data.timestamps[i], symbol, modelId: scorer.modelId, timeframe: row.timeframe,
      probabilities: probabilities[k], classNames: scorer.classNames, simulated: data.simulated[i],
    }));
  }
  const written = await writePredictions(pool, predictions);
  return { modelId: scorer.modelId, symbol, candles: data.timestamps.length, skipped: data.timestamps.length - indices.length, scored: indices.length, written };
}

/** The symbols a model scores: its registered ones, or every tracked symbol. */
export const symbolsOf = (row: Pick<ModelMetadata, 'symbols'>, tracked: readonly string[]) => ((row.symbols as string[]).length ? (row.symbols as string[]) : [...tracked]);

/** `models predict --from --to`: fills a model's predictions over history. */
export async function predictRange(deps: ModelDeps, modelId: string, range: { from: Date; to: Date; symbols: readonly string[] }): Promise<ScoreSummary[]> {
  const row = await getModelRow(deps.prisma, modelId);
  const scorer = await loadScorer(deps.prisma, row);
  const out: ScoreSummary[] = [];
  for (const symbol of symbolsOf(row, range.symbols)) out.push(await scoreSeries(deps.pool, scorer, row, symbol, range.from, range.to));
  return out;
}

/**
 * The worker's live step: every active model scores the candles of the last `lookbackMs` it has not
 * scored yet (a missed run is caught up by the next one within the look-back).
 */
export async function scoreNewCandles(deps: ModelDeps, options: { now: Date; lookbackMs: number; trackedSymbols: readonly string[] }): Promise<ScoreSummary[]> {
  const active = await deps.prisma.modelMetadata.findMany({ where: { status: 'active' } });
  const from = new Date(options.now.getTime() - options.lookbackMs);
  const out: ScoreSummary[] = [];
  for (const row of active) {
    const scorer = await loadScorer(deps.prisma, row);
    for (const symbol of symbolsOf(row, options.trackedSymbols)) out.push(await scoreSeries(deps.pool, scorer, row, symbol, from, options.now));
  }
  return out;
}

