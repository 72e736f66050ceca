import { FEATURE_COLUMNS, FEATURE_VERSION } from '@/lib/features';
import { GAP_FREE_CANDLES } from '@/lib/ingest/gap-marker';
import { describeLabel, DEFAULT_LABEL_SPECS, LABEL_VERSION, labelSource } from '@/lib/labels/definitions';
import { timeframeMs } from '@/lib/market/timeframe';
import { SENTIMENT_FEATURE_COLUMNS, SENTIMENT_FEATURE_VERSION } from '@/lib/sentiment/features';
import type { ExportRequest } from './request';
import { HOUR_MS } from '@/lib/market/time';
import { epochMs } from '@/lib/db/fragments';

/**
 * A point-in-time training set: one row per candle of the series in the range, with its features
 * at t, the sentiment known when that candle closed, and the label for t (which is about what
 * happened after t). Rows without a label are left out, and so are simulated rows unless asked for;
 * the metadata counts every row left out and says why.
 */

/** What the export needs from a database: a pg Pool (getPool()) or Client has it. */
export interface Sql {
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

export const PRICE_COLUMNS = ['open_price', 'high_price', 'low_price', 'close_price', 'volume'] as const;
export const LABEL_COLUMNS = ['label_value', 'label_confidence', 'realized_return', 'label_future_timestamp'] as const;

/** Output columns in order; timestamps are UTC (ISO 8601 in CSV, TIMESTAMP_MILLIS in Parquet). */
export const EXPORT_COLUMNS = [
  'timestamp',
  'symbol',
  'timeframe',
  ...PRICE_COLUMNS,
  ...FEATURE_COLUMNS,
  'sentiment_timestamp',
  ...SENTIMENT_FEATURE_COLUMNS,
  'is_simulated',
  'candles_since_gap',
  ...LABEL_COLUMNS,
] as const;

export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export type ExportValue = number | string | boolean | null;
export type ExportRow = Record<ExportColumn, ExportValue>;

export type ExclusionReason = 'no_label' | 'gap' | 'simulated_candle' | 'simulated_label' | 'simulated_sentiment';

export const EXCLUSION_REASONS: Record<ExclusionReason, string> = {
  no_label: 'no label for this timestamp: its horizon had not passed yet, the candles it needs have a gap, or labels were not generated for this series',
  gap: `at least one feature window crosses a gap in the candles (fewer than ${GAP_FREE_CANDLES} candles since the last gap, candles_since_gap)`,
  simulated_candle: 'the candle (and so its features) was simulated',
  simulated_label: 'the label used at least one simulated candle',
  simulated_sentiment: 'the sentiment row joined to it used at least one simulated input',
};

export interface TrainingSetMetadata {
  symbol: string;
  timeframe: string;
  format: string;
  created_at: string;
  /** The feature_version values of the exported OHLCV rows (the code's current one: `current_feature_version`). */
  feature_version: string;
  current_feature_version: string;
  sentiment_feature_version: string;
  range: { from: string; to_exclusive: string; first_timestamp: string | null; last_timestamp: string | null };
  label: {
    type: string;
    horizon: string;
    source: string;
    version: string;
    definition: string;
    class_counts: Record<string, number>;
    /** The spec(s) that produced the exported labels, as stored with them. */
    specs: { name: string | null; threshold_k: number | null }[];
    /** sector_rotation: the basket(s) of symbols the exported labels compared. */
    baskets: string[][];
  };
  rows: { candidates: number; exported: number; excluded: number; with_sentiment: number; simulated_included: number };
  excluded: Record<ExclusionReason, { count: number; reason: string }>;
  include_simulated: boolean;
  include_gaps: boolean;
  point_in_time: string;
  columns: string[];
}

export interface TrainingSet {
  rows: ExportRow[];
  metadata: TrainingSetMetadata;
}

const POINT_IN_TIME =
  'Each row is the candle opening at `timestamp`. Its OHLCV features use that candle and earlier ones only (known when it closed, at timestamp + timeframe). ' +
  'Sentiment is the hourly row for the last hour that had ended by then (`sentiment_timestamp` = start of that hour), or empty. ' +
  'The label compares the close of this candle with closes strictly after it, up to `label_future_timestamp`; it was produced only after that candle closed.';


interface JoinedRecord extends Record<string, unknown> {
  ts: number;
  candle_simulated: boolean;
  feature_version: string;
  sentiment_ts: number | null;
  sentiment_simulated: boolean | null;
  label_value: string | null;
  label_confidence: number | null;
  realized_return: number | null;
  future_ts: number | null;
  label_simulated: boolean | null;
  candles_since_gap: number | null;
  spec_name: string | null;
  threshold_k: number | null;
  basket: string[] | null;
}


function joinSql(): string {
  return `
    select ${epochMs('f.timestamp')} as ts, ${PRICE_COLUMNS.map((c) => `f.${c}`).join(', ')}, ${FEATURE_COLUMNS.map((c) => `f.${c}`).join(', ')},
      f.is_simulated as candle_simulated, f.feature_version, f.candles_since_gap,
      ${epochMs('s.timestamp')} as sentiment_ts, ${SENTIMENT_FEATURE_COLUMNS.map((c) => `s.${c}`).join(', ')}, s.is_simulated as sentiment_simulated,
      l.label_value, l.label_confidence, l.realized_return, ${epochMs('l.future_timestamp')} as future_ts, l.is_simulated as label_simulated,
      l.spec_name, l.threshold_k, l.basket
    from ml_features_ohlcv f
    -- The newest sentiment hour that had ended when the candle closed: floor((t + timeframe) / 1h) − 1h,
    -- computed on epoch seconds so the session time zone plays no part.
    left join ml_features_sentiment s on s.symbol = f.symbol
      and s.timestamp = to_timestamp(floor((extract(epoch from f.timestamp) * 1000 + $5) / ${HOUR_MS}) * ${HOUR_MS / 1000}) - interval '1 hour'
    left join ml_labels l on l.symbol = f.symbol and l.timestamp = f.timestamp
      and l.label_type = $6 and l.horizon = $7 and l.source = $8
    where f.symbol = $1 and f.timeframe = $2 and f.timestamp >= $3 and f.timestamp < $4
    order by f.timestamp`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * Whether a row's feature windows reach back over a gap: fewer than GAP_FREE_CANDLES candles since
 * the last gap, where the run did not simply begin with the series (that is warm-up, not a gap).
 * Rows stored before the marker existed (null) are not known to cross one.
 */
function crossesGap(r: JoinedRecord, seriesStart: number | null, step: number): boolean {
  if (r.candles_since_gap === null || r.candles_since_gap >= GAP_FREE_CANDLES) return false;
  return seriesStart === null || r.ts - (r.candles_since_gap - 1) * step > seriesStart;
}

function exclusion(r: JoinedRecord, seriesStart: number | null, step: number): ExclusionReason | null {
  if (r.label_value === null) return 'no_label';
  if (crossesGap(r, seriesStart, step)) return 'gap';
  if (r.candle_simulated) return 'simulated_candle';
  if (r.label_simulated) return 'simulated_label';
  if (r.sentiment_simulated) return 'simulated_sentiment';
  return null;
}

function toRow(r: JoinedRecord, request: ExportRequest): ExportRow {
  const row: Record<string, ExportValue> = { timestamp: iso(r.ts), symbol: request.symbol, timeframe: request.timeframe };
  for (const c of PRICE_COLUMNS) row[c] = r[c] as number;
  for (const c of FEATURE_COLUMNS) row[c] = (r[c] as number | null) ?? null;
  row.sentiment_timestamp = iso(r.sentiment_ts);
  for (const c of SENTIMENT_FEATURE_COLUMNS) row[c] = (r[c] as number | null) ?? null;
  row.is_simulated = Boolean(r.candle_simulated || r.label_simulated || r.sentiment_simulated);
  row.candles_since_gap = r.candles_since_gap;
  row.label_value = r.label_value;
  row.label_confidence = r.label_confidence;
  row.realized_return = r.realized_return;
  row.label_future_timestamp = iso(r.future_ts);
  return row as ExportRow;
}

/** Reads and assembles the training set; writes nothing. */
export async function buildTrainingSet(db: Sql, request: ExportRequest, now: number = Date.now()): Promise<TrainingSet> {
  const step = timeframeMs(request.timeframe);
  const source = labelSource(request.timeframe);
  const { rows: records } = await db.query<JoinedRecord>(joinSql(), [
    request.symbol,
    request.timeframe,
    new Date(request.from).toISOString(),
    new Date(request.to).toISOString(),
    step,
    request.label,
    request.horizon,
    source,
  ]);

  const { rows: [first] } = await db.query<{ ts: number | null }>(
    `select ${epochMs('min(timestamp)')} as ts from ml_features_ohlcv where symbol = $1 and timeframe = $2`,
    [request.symbol, request.timeframe],
  );
  const seriesStart = first?.ts ?? null;
  const excluded = Object.fromEntries(Object.entries(EXCLUSION_REASONS).map(([k, reason]) => [k, { count: 0, reason }])) as TrainingSetMetadata['excluded'];
  const rows: ExportRow[] = [];
  const versions = new Set<string>();
  const classCounts: Record<string, number> = {};
  let simulatedIncluded = 0;
  const specs = new Map<string, { name: string | null; threshold_k: number | null }>();
  const baskets = new Map<string, string[]>();
  for (const record of records) {
    const reason = exclusion(record, seriesStart, step);
    const kept = reason === null || (reason === 'gap' ? request.includeGaps : reason !== 'no_label' && request.includeSimulated);
    if (!kept) {
      excluded[reason!].count += 1;
      continue;
    }
    if (reason && reason !== 'gap') simulatedIncluded += 1;
    specs.set(`${record.spec_name}|${record.threshold_k}`, { name: record.spec_name, threshold_k: record.threshold_k });
    if (record.basket) baskets.set(record.basket.join(','), record.basket);
    rows.push(toRow(record, request));
    versions.add(record.feature_version);
    classCounts[record.label_value!] = (classCounts[record.label_value!] ?? 0) + 1;
  }

  const spec = request.spec ?? { ...DEFAULT_LABEL_SPECS[request.label], horizon: request.horizon };
  const metadata: TrainingSetMetadata = {
    symbol: request.symbol,
    timeframe: request.timeframe,
    format: request.format,
    created_at: new Date(now).toISOString(),
    feature_version: [...versions].sort().join(', ') || FEATURE_VERSION,
    current_feature_version: FEATURE_VERSION,
    sentiment_feature_version: SENTIMENT_FEATURE_VERSION,
    range: {
      from: new Date(request.from).toISOString(),
      to_exclusive: new Date(request.to).toISOString(),
      first_timestamp: (rows[0]?.timestamp as string | undefined) ?? null,
      last_timestamp: (rows.at(-1)?.timestamp as string | undefined) ?? null,
    },
    label: { type: request.label, horizon: request.horizon, source, version: LABEL_VERSION, definition: describeLabel(spec, request.timeframe), class_counts: classCounts,
      specs: [...specs.values()],
      baskets: [...baskets.values()],
    },
    rows: {
      candidates: records.length,
      exported: rows.length,
      excluded: records.length - rows.length,
      with_sentiment: rows.filter((r) => r.sentiment_timestamp !== null).length,
      simulated_included: simulatedIncluded,
    },
    excluded,
    include_simulated: request.includeSimulated,
    include_gaps: request.includeGaps,
    point_in_time: POINT_IN_TIME,
    columns: [...EXPORT_COLUMNS],
  };
  return { rows, metadata };
}
