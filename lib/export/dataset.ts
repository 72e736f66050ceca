import { sentimentFeaturesUsing, SENTIMENT_INPUTS } from '@/lib/features/catalogue';
import { FEATURE_COLUMNS } from '@/lib/features/definitions';
import { GAP_FREE_CANDLES } from '@/lib/ingest/gap-marker';
import { labelSource } from '@/lib/labels/definitions';
import { timeframeMs } from '@/lib/market/timeframe';
import { SENTIMENT_FEATURE_COLUMNS } from '@/lib/sentiment/features';
import { HOUR_MS } from '@/lib/market/time';
import { epochMs } from '@/lib/db/fragments';
import type { Sql } from '@/lib/db/sql';
import { labelColumns, PRICE_COLUMNS, type ExportRow } from './columns';
import type { ExportLabelSpec, ExportRequest, SimulatedPolicy } from './request';

/**
 * A point-in-time training set, read a time window at a time: one row per candle of each series,
 * with its features at t, the latest sentiment row known when the candle closed (as-of join, within
 * the tolerance), and each requested label for t (about what happened after t).
 */

export type ExclusionReason = 'no_label' | 'gap' | 'simulated_candle' | 'simulated_label' | 'simulated_sentiment';

export const EXCLUSION_REASONS: Record<ExclusionReason, string> = {
  no_label: 'none of the requested labels exists for this timestamp: its horizon had not passed yet, the candles it needs have a gap, or labels were not generated for this series',
  gap: `at least one feature window crosses a gap in the candles (fewer than ${GAP_FREE_CANDLES} candles since the last gap, candles_since_gap; --include-gaps keeps them)`,
  simulated_candle: 'the candle (and so its features) was simulated',
  simulated_label: 'every requested label of the row used at least one simulated candle',
  simulated_sentiment: 'the sentiment row joined to it used at least one simulated input (--simulated drop)',
};

/** One joined database row: candle, features, as-of sentiment, and label i as l<i>_*. */
export type JoinedRecord = Record<string, unknown> & {
  symbol: string;
  timeframe: string;
  ts: number;
  candle_simulated: boolean;
  candles_since_gap: number | null;
  feature_version: string;
  sentiment_ts: number | null;
  real_inputs: string[] | null;
  simulated_inputs: string[] | null;
};

const TS = epochMs;

function labelJoin(i: number, end: number): { select: string; join: string } {
  const l = `l${i}`;
  return {
    select: `${l}.spec_name as ${l}_spec_name, ${l}.threshold_k as ${l}_threshold_k, ${l}.basket as ${l}_basket, ${l}.label_value as ${l}_value, ${l}.label_confidence as ${l}_confidence, ${l}.realized_return as ${l}_realized_return, ${TS(`${l}.future_timestamp`)} as ${l}_future_ts, ${l}.is_simulated as ${l}_simulated`,
    // The label's source names the candle series it came from ('ohlcv:1h'). The constant time
    // bounds let TimescaleDB exclude chunks at plan time (a join condition alone does not).
    join: `left join ml_labels ${l} on ${l}.symbol = f.symbol and ${l}.timestamp = f.timestamp and ${l}.label_type = $${4 + 2 * i} and ${l}.horizon = $${5 + 2 * i}
      and ${l}.source = '${labelSource('')}' || f.timeframe and ${l}.timestamp >= $3 and ${l}.timestamp < $${end}`,
  };
}

/**
 * Parameters: $1 symbols, $2 timeframes (the request is every symbol × timeframe), $3 from, then
 * label type/horizon pairs, then the window end. Plain `= any` filters rather than a
 * join with unnest(): the planner then sees how many candles come and hash-joins the labels
 * instead of probing every label chunk once per candle.
 */
function windowSql(labels: number): string {
  const end = 4 + 2 * labels;
  const joins = Array.from({ length: labels }, (_, i) => labelJoin(i, end));
  return `
    select f.symbol, f.timeframe, ${TS('f.timestamp')} as ts, ${PRICE_COLUMNS.map((c) => `f.${c}`).join(', ')}, ${FEATURE_COLUMNS.map((c) => `f.${c}`).join(', ')},
      f.is_simulated as candle_simulated, f.feature_version, f.candles_since_gap
      ${joins.map((j) => `, ${j.select}`).join('')}
    from ml_features_ohlcv f
    ${joins.map((j) => j.join).join('\n    ')}
    where f.symbol = any($1::text[]) and f.timeframe = any($2::text[]) and f.timestamp >= $3 and f.timestamp < $${end}
    order by f.timestamp, f.symbol, f.timeframe`;
}

export interface SentimentRecord extends Record<string, unknown> {
  symbol: string;
  ts: number;
  real_inputs: string[];
  simulated_inputs: string[];
}

const SENTIMENT_SQL = `
  select symbol, ${TS('timestamp')} as ts, ${SENTIMENT_FEATURE_COLUMNS.join(', ')}, real_inputs, simulated_inputs
  from ml_features_sentiment where symbol = any($1::text[]) and timestamp >= $2 and timestamp <= $3
  order by symbol, timestamp`;

/**
 * The as-of join, pure: for a candle of `step` ms opening at `t`, the newest sentiment row H of its
 * symbol known by the candle's close (its hour ended: H + 1h ≤ t + step) and no older than the
 * tolerance (H + 1h ≥ t + step − tolerance). `rows` ascending by time.
 */
export function asOfSentiment<R extends { ts: number }>(rows: readonly R[], t: number, step: number, toleranceMs: number): R | null {
  const latest = t + step - HOUR_MS;
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.ts <= latest) lo = mid + 1;
    else hi = mid;
  }
  const found = rows[lo - 1];
  return found && found.ts >= latest - toleranceMs ? found : null;
}

/** The joined rows of every requested series with open times in [from, to), by time then series. */
export async function readWindow(db: Sql, request: ExportRequest, from: number, to: number): Promise<JoinedRecord[]> {
  const { series, labels, sentimentToleranceMs } = request;
  const steps = series.map((s) => timeframeMs(s.timeframe));
  const [{ rows: candles }, { rows: sentiment }] = await Promise.all([
    db.query<JoinedRecord>(windowSql(labels.length), [
      series.map((s) => s.symbol),
      series.map((s) => s.timeframe),
      new Date(from).toISOString(),
      ...labels.flatMap((l) => [l.type, l.horizon]),
      new Date(to).toISOString(),
    ]),
    // Every sentiment row any candle of the window can join, in one range read per window.
    db.query<SentimentRecord>(SENTIMENT_SQL, [
      [...new Set(series.map((s) => s.symbol))],
      new Date(from + Math.min(...steps) - HOUR_MS - sentimentToleranceMs).toISOString(),
      new Date(to + Math.max(...steps) - HOUR_MS).toISOString(),
    ]),
  ]);
  const bySymbol = new Map<string, SentimentRecord[]>();
  for (const row of sentiment) {
    const rows = bySymbol.get(row.symbol);
    if (rows) rows.push(row);
    else bySymbol.set(row.symbol, [row]);
  }
  for (const record of candles) {
    const joined = asOfSentiment(bySymbol.get(record.symbol) ?? [], record.ts, timeframeMs(record.timeframe), sentimentToleranceMs);
    record.sentiment_ts = joined?.ts ?? null;
    record.real_inputs = joined?.real_inputs ?? null;
    record.simulated_inputs = joined?.simulated_inputs ?? null;
    for (const c of SENTIMENT_FEATURE_COLUMNS) record[c] = joined ? joined[c] : null;
  }
  return candles;
}

/** The first stored open time of each series ("symbol|timeframe"): a run of candles starting there is warm-up, not a gap. */
export async function readSeriesStarts(db: Sql, request: ExportRequest): Promise<Map<string, number>> {
  const { rows } = await db.query<{ symbol: string; timeframe: string; ts: number }>(
    `select symbol, timeframe, ${TS('min(timestamp)')} as ts from ml_features_ohlcv
     where symbol = any($1::text[]) and timeframe = any($2::text[]) group by symbol, timeframe`,
    [request.series.map((s) => s.symbol), request.series.map((s) => s.timeframe)],
  );
  return new Map(rows.map((r) => [`${r.symbol}|${r.timeframe}`, r.ts]));
}

/**
 * Whether a row's feature windows reach back over a gap: fewer than GAP_FREE_CANDLES candles since
 * the last gap, where the run did not simply begin with the series (that is warm-up, not a gap).
 * Rows stored before the marker existed (null) are not known to cross one.
 */
export function crossesGap(r: Pick<JoinedRecord, 'ts' | 'candles_since_gap' | 'timeframe'>, seriesStart: number | undefined): boolean {
  if (r.candles_since_gap === null || r.candles_since_gap === undefined || r.candles_since_gap >= GAP_FREE_CANDLES) return false;
  return seriesStart === undefined || r.ts - (r.candles_since_gap - 1) * timeframeMs(r.timeframe) > seriesStart;
}

export interface AssembleOptions {
  policy: SimulatedPolicy;
  includeGaps?: boolean;
  /** From readSeriesStarts. */
  seriesStarts?: ReadonlyMap<string, number>;
}

export interface AssembledRow {
  row: ExportRow | null;
  excluded: ExclusionReason | null;
  /** Inputs whose values were emptied because they were simulated: 'sentiment:news', 'label:<name>'. */
  emptied: string[];
  /** Names of the labels present in the exported row. */
  labels: string[];
}

const FEATURES_BY_INPUT = new Map(SENTIMENT_INPUTS.map((input) => [input as string, sentimentFeaturesUsing(input)]));

/**
 * Turns one joined record into an exported row under the simulated-input policy. Pure. A
 * simulated candle can't be emptied without emptying the row (its prices and features are the
 * row), so under `empty` it is left out, as under `drop`.
 */
export function assembleRow(r: JoinedRecord, labels: readonly ExportLabelSpec[], options: SimulatedPolicy | AssembleOptions): AssembledRow {
  const { policy, includeGaps = false, seriesStarts } = typeof options === 'string' ? { policy: options } : options;
  const skip = (excluded: ExclusionReason): AssembledRow => ({ row: null, excluded, emptied: [], labels: [] });
  const present = labels.map((_, i) => r[`l${i}_value`] !== null && r[`l${i}_value`] !== undefined);
  if (!present.some(Boolean)) return skip('no_label');
  if (!includeGaps && crossesGap(r, seriesStarts?.get(`${r.symbol}|${r.timeframe}`))) return skip('gap');
  if (r.candle_simulated && policy !== 'include') return skip('simulated_candle');
  const labelSimulated = labels.map((_, i) => present[i] && r[`l${i}_simulated`] === true);
  if (policy === 'drop' && labelSimulated.some(Boolean)) return skip('simulated_label');
  const kept = present.map((p, i) => p && (policy === 'include' || !labelSimulated[i]));
  if (!kept.some(Boolean)) return skip('simulated_label');
  const simulatedInputs = r.simulated_inputs ?? [];
  if (policy === 'drop' && simulatedInputs.length) return skip('simulated_sentiment');

  const emptied: string[] = [];
  const row: ExportRow = { timestamp: r.ts, symbol: r.symbol, timeframe: r.timeframe };
  for (const c of PRICE_COLUMNS) row[c] = r[c] as number;
  for (const c of FEATURE_COLUMNS) row[c] = (r[c] as number | null) ?? null;
  row.sentiment_timestamp = r.sentiment_ts;
  const blank = new Set<string>();
  if (policy === 'empty') {
    for (const input of simulatedInputs) {
      emptied.push(`sentiment:${input}`);
      for (const feature of FEATURES_BY_INPUT.get(input) ?? SENTIMENT_FEATURE_COLUMNS) blank.add(feature);
    }
  }
  for (const c of SENTIMENT_FEATURE_COLUMNS) row[c] = blank.has(c) ? null : ((r[c] as number | null) ?? null);
  row.sentiment_real_inputs = r.sentiment_ts === null ? null : [...(r.real_inputs ?? [])].sort().join(',');
  row.sentiment_simulated_inputs = r.sentiment_ts === null ? null : [...simulatedInputs].sort().join(',');

  let simulated = r.candle_simulated || (policy === 'include' && simulatedInputs.length > 0);
  const names: string[] = [];
  labels.forEach((spec, i) => {
    const c = labelColumns(spec);
    const keep = kept[i]!;
    if (present[i] && !keep) emptied.push(`label:${spec.name}`);
    if (keep) names.push(spec.name);
    const future = keep ? (r[`l${i}_future_ts`] as number) : null;
    row[c.value] = keep ? (r[`l${i}_value`] as string) : null;
    row[c.confidence] = keep ? ((r[`l${i}_confidence`] as number | null) ?? null) : null;
    row[c.realizedReturn] = keep ? ((r[`l${i}_realized_return`] as number | null) ?? null) : null;
    row[c.futureTimestamp] = future;
    // The label is known once the last candle of its outcome has closed.
    row[c.knownAt] = future === null ? null : future + timeframeMs(r.timeframe);
    row[c.simulated] = keep ? labelSimulated[i]! : null;
    if (keep && labelSimulated[i]) simulated = true;
  });
  row.is_simulated = simulated;
  row.candles_since_gap = r.candles_since_gap ?? null;
  return { row, excluded: null, emptied, labels: names };
}
