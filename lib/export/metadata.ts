import { catalogueEntry, type CatalogueEntry } from '@/lib/features/catalogue';
import { FEATURE_COLUMNS, FEATURE_VERSION } from '@/lib/features/definitions';
import { horizonMs } from '@/lib/labels/compute';
import { DEFAULT_LABEL_SPECS, describeLabel, LABEL_VERSION, labelSource } from '@/lib/labels/definitions';
import { timeframeMs } from '@/lib/market/timeframe';
import { SENTIMENT_FEATURE_COLUMNS, SENTIMENT_FEATURE_VERSION } from '@/lib/sentiment/features';
import { exportColumns, labelColumns, type ColumnKind } from './columns';
import { EXCLUSION_REASONS, type AssembledRow, type ExclusionReason, type JoinedRecord } from './dataset';
import type { ExportRequest, SimulatedPolicy } from './request';

/** What the metadata file (FILE.meta.json, and the Parquet footer) says about a training set. */
export interface TrainingSetMetadata {
  format: string;
  created_at: string;
  series: { symbol: string; timeframe: string; rows: number; first_timestamp: string | null; last_timestamp: string | null }[];
  /** The feature_version values of the exported OHLCV rows (the code's current one: `current_feature_version`). */
  feature_version: string;
  current_feature_version: string;
  sentiment_feature_version: string;
  label_version: string;
  range: { from: string; to_exclusive: string; first_timestamp: string | null; last_timestamp: string | null };
  labels: {
    name: string; type: string; horizon: string; sources: string[]; definition: string;
    columns: ReturnType<typeof labelColumns>; rows: number; class_counts: Record<string, number>;
    /** The spec(s) that produced the exported labels, as stored with them, and sector_rotation's basket(s). */
    specs: { name: string | null; threshold_k: number | null }[];
    baskets: string[][];
  }[];
  include_gaps: boolean;
  rows: { candidates: number; exported: number; excluded: number; with_sentiment: number; simulated_included: number };
  excluded: Record<ExclusionReason, { count: number; reason: string }>;
  simulated: { policy: SimulatedPolicy; rule: string; emptied: Record<string, number> };
  sentiment_join: { tolerance_ms: number; tolerance: string; rule: string; rows_joined: number; rows_older_than_exact_hour: number };
  cross_validation: { purge_gap_ms: number; purge_gap: string; purge_candles: Record<string, number>; rule: string };
  point_in_time: string;
  columns: { name: string; type: ColumnKind; required: boolean }[];
  features: CatalogueEntry[];
}

const POLICY_RULES: Record<SimulatedPolicy, string> = {
  empty:
    'Rows are kept; values computed from a simulated input are emptied: the sentiment features of each simulated sentiment input (see features[].inputs), and a label computed from a simulated candle. ' +
    'A row whose candle was simulated, or whose every label was, is left out (excluded). `simulated.emptied` counts the rows per emptied input.',
  drop: 'Rows with any simulated candle, label or sentiment input are left out (excluded).',
  include: 'Simulated values are kept; `is_simulated` is true where a value in the row came from a simulated input, `label_<name>_is_simulated` per label.',
};

const POINT_IN_TIME =
  'Each row is the candle of its series opening at `timestamp`. Its OHLCV features use that candle and earlier ones only (known when it closed, at timestamp + timeframe). ' +
  'Sentiment is the newest hourly row whose hour had ended by that close (as-of join within the tolerance; `sentiment_timestamp` = start of that hour, known an hour later), or empty. ' +
  'Each label compares the close of this candle with closes strictly after it, up to the candle opening at `label_<name>_future_timestamp`; it became known when that candle closed, `label_<name>_known_at`.';

export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** Counts what the export wrote and left out, a row at a time, and writes the metadata at the end. */
export class TrainingSetStats {
  private readonly excluded = Object.fromEntries(Object.keys(EXCLUSION_REASONS).map((k) => [k, 0])) as Record<ExclusionReason, number>;
  private readonly emptied: Record<string, number> = {};
  private readonly versions = new Set<string>();
  private readonly series = new Map<string, { rows: number; first: number | null; last: number | null }>();
  private readonly labelRows = new Map<string, { rows: number; classes: Record<string, number>; specs: Map<string, { name: string | null; threshold_k: number | null }>; baskets: Map<string, string[]> }>();
  private candidates = 0;
  private exported = 0;
  private withSentiment = 0;
  private olderSentiment = 0;
  private simulatedIncluded = 0;
  private first: number | null = null;
  private last: number | null = null;

  constructor(private readonly request: ExportRequest) {
    for (const s of request.series) this.series.set(`${s.symbol}|${s.timeframe}`, { rows: 0, first: null, last: null });
    for (const l of request.labels) this.labelRows.set(l.name, { rows: 0, classes: {}, specs: new Map(), baskets: new Map() });
  }

  get exportedRows(): number {
    return this.exported;
  }

  add(record: JoinedRecord, assembled: AssembledRow): void {
    this.candidates += 1;
    if (!assembled.row) {
      this.excluded[assembled.excluded!] += 1;
      return;
    }
    const row = assembled.row;
    this.exported += 1;
    this.first ??= record.ts;
    this.last = record.ts;
    this.versions.add(record.feature_version);
    const series = this.series.get(`${record.symbol}|${record.timeframe}`)!;
    series.rows += 1;
    series.first ??= record.ts;
    series.last = record.ts;
    if (record.sentiment_ts !== null) {
      this.withSentiment += 1;
      // The exact hour is the one ending at the candle's close.
      if (record.sentiment_ts + 3_600_000 < record.ts + timeframeMs(record.timeframe)) this.olderSentiment += 1;
    }
    if (row.is_simulated) this.simulatedIncluded += 1;
    for (const input of assembled.emptied) this.emptied[input] = (this.emptied[input] ?? 0) + 1;
    this.request.labels.forEach((spec, i) => {
      if (!assembled.labels.includes(spec.name)) return;
      const stats = this.labelRows.get(spec.name)!;
      const value = row[labelColumns(spec).value] as string;
      stats.rows += 1;
      stats.classes[value] = (stats.classes[value] ?? 0) + 1;
      const name = (record[`l${i}_spec_name`] as string | null) ?? null;
      const threshold = (record[`l${i}_threshold_k`] as number | null) ?? null;
      stats.specs.set(`${name}|${threshold}`, { name, threshold_k: threshold });
      const basket = record[`l${i}_basket`] as string[] | null;
      if (basket) stats.baskets.set(basket.join(','), basket);
    });
  }

  metadata(now: number): TrainingSetMetadata {
    const { request } = this;
    const timeframes = [...new Set(request.series.map((s) => s.timeframe))];
    const longestHorizon = Math.max(...request.labels.map((l) => horizonMs(l.horizon)));
    return {
      format: request.format,
      created_at: new Date(now).toISOString(),
      series: request.series.map((s) => {
        const stats = this.series.get(`${s.symbol}|${s.timeframe}`)!;
        return { ...s, rows: stats.rows, first_timestamp: iso(stats.first), last_timestamp: iso(stats.last) };
      }),
      feature_version: [...this.versions].sort().join(', ') || FEATURE_VERSION,
      current_feature_version: FEATURE_VERSION,
      sentiment_feature_version: SENTIMENT_FEATURE_VERSION,
      label_version: LABEL_VERSION,
      range: { from: iso(request.from)!, to_exclusive: iso(request.to)!, first_timestamp: iso(this.first), last_timestamp: iso(this.last) },
      labels: request.labels.map((l) => {
        const stats = this.labelRows.get(l.name)!;
        const spec = { ...DEFAULT_LABEL_SPECS[l.type], horizon: l.horizon };
        return {
          name: l.name, type: l.type, horizon: l.horizon, sources: timeframes.map(labelSource),
          definition: describeLabel(spec, timeframes.join('/')), columns: labelColumns(l), rows: stats.rows, class_counts: stats.classes,
          specs: [...stats.specs.values()], baskets: [...stats.baskets.values()],
        };
      }),
      rows: { candidates: this.candidates, exported: this.exported, excluded: this.candidates - this.exported, with_sentiment: this.withSentiment, simulated_included: this.simulatedIncluded },
      excluded: Object.fromEntries(Object.entries(EXCLUSION_REASONS).map(([k, reason]) => [k, { count: this.excluded[k as ExclusionReason], reason }])) as TrainingSetMetadata['excluded'],
      include_gaps: request.includeGaps,
      simulated: { policy: request.simulated, rule: POLICY_RULES[request.simulated], emptied: this.emptied },
      sentiment_join: {
        tolerance_ms: request.sentimentToleranceMs,
        tolerance: formatDuration(request.sentimentToleranceMs),
        rule: 'as of the candle close: the newest sentiment row whose hour ended at or before the close, if it ended no more than the tolerance before it',
        rows_joined: this.withSentiment,
        rows_older_than_exact_hour: this.olderSentiment,
      },
      cross_validation: {
        purge_gap_ms: longestHorizon,
        purge_gap: formatDuration(longestHorizon),
        purge_candles: Object.fromEntries(timeframes.map((tf) => [tf, longestHorizon / timeframeMs(tf)])),
        rule:
          `A training row at t may sit before a test fold starting at s only if its label was known by the close of the first test candle: label_<name>_known_at <= s + timeframe, i.e. t <= s − horizon. ` +
          `Purge the training rows with t in (s − ${formatDuration(longestHorizon)}, s) (the longest requested horizon), and embargo as many after the fold's end, per series.`,
      },
      point_in_time: POINT_IN_TIME,
      columns: exportColumns(request.labels).map((c) => ({ name: c.name, type: c.kind, required: c.required })),
      features: [...FEATURE_COLUMNS, ...SENTIMENT_FEATURE_COLUMNS].map((name) => catalogueEntry(name)!),
    };
  }
}
