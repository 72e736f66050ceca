import 'server-only';
import { RANGES, type RangeKey } from '@/lib/market/range';
import type { Sql } from '@/lib/db/sql';
import { epochMs } from '@/lib/db/fragments';
import { toIso } from '@/lib/market/time';
import { orderLabelValues } from './label-values';
import { DEFAULT_LABEL_SPECS, describeLabel, LABEL_TYPES, type LabelType } from '@/lib/labels/definitions';
import { DAY_MS } from '@/lib/market/time';

export interface LabelKind {
  labelType: string;
  horizon: string;
  labels: number;
}

export interface LabelDay {
  t: number;
  counts: Record<string, number>;
  simulated: number;
}

export interface LabelClass {
  value: string;
  count: number;
  share: number;
  avgConfidence: number | null;
  /** Mean realized return (count-weighted over the daily rollup). */
  meanReturn: number | null;
  /** Quantiles of realized return from the raw labels (kept 90 days); null once they aged out. */
  quantiles: { p10: number; p25: number; p50: number; p75: number; p90: number } | null;
}

export interface LabelDistribution {
  symbol: string;
  range: RangeKey;
  /** Label types and horizons stored for this symbol; `labelType`/`horizon` is the one shown. */
  kinds: LabelKind[];
  labelType: string | null;
  horizon: string | null;
  /** How the generator defines this label (its default threshold), when it is one of the generator's types. */
  description: string | null;
  from: number | null;
  to: number | null;
  values: string[];
  days: LabelDay[];
  classes: LabelClass[];
  symbols: string[];
}

interface DayRow {
  t: number;
  value: string;
  count: number;
  avg_return: number | null;
  avg_confidence: number | null;
  simulated: number;
}

async function labelDescription(db: Sql, symbol: string, labelType: string, horizon: string): Promise<string | null> {
  if (!(LABEL_TYPES as readonly string[]).includes(labelType)) return null;
  const { rows } = await db.query<{ source: string }>(
    'select source from ml_labels where symbol = $1 and label_type = $2 and horizon = $3 order by timestamp desc limit 1',
    [symbol, labelType, horizon],
  );
  const timeframe = /^ohlcv:(.+)$/.exec(rows[0]?.source ?? '')?.[1] ?? '1h';
  return describeLabel({ ...DEFAULT_LABEL_SPECS[labelType as LabelType], horizon }, timeframe);
}

export async function getLabelDistribution(
  db: Sql,
  request: { symbol: string; labelType?: string; horizon?: string; range: RangeKey; end?: number },
): Promise<LabelDistribution> {
  const rangeMs = RANGES[request.range];
  const [{ rows: symbolRows }, { rows: kindRows }] = await Promise.all([
    db.query<{ symbol: string }>('select distinct symbol from ml_labels_daily_counts order by symbol'),
    db.query<LabelKind & { newest: number }>(
      `select label_type as "labelType", horizon, sum(label_count)::float8 as labels, ${epochMs('max(bucket)')} as newest
       from ml_labels_daily_counts where symbol = $1 group by label_type, horizon order by label_type, horizon`,
      [request.symbol],
    ),
  ]);
  const kinds = kindRows.map(({ labelType, horizon, labels }) => ({ labelType, horizon, labels }));
  const labelType = request.labelType ?? kindRows[0]?.labelType ?? null;
  const chosen = kindRows.find((k) => k.labelType === labelType && (request.horizon === undefined || k.horizon === request.horizon));
  const horizon = request.horizon ?? chosen?.horizon ?? null;
  const base = { symbol: request.symbol, range: request.range, kinds, labelType, horizon, symbols: symbolRows.map((r) => r.symbol) };
  // The newest daily bucket + 1 day, so the window holds the newest day whole.
  const to = request.end ?? (chosen ? chosen.newest + DAY_MS - 1 : null);
  if (!labelType || !horizon || to === null) return { ...base, description: null, from: null, to: null, values: [], days: [], classes: [] };
  const from = to - rangeMs;
  const series = [request.symbol, labelType, horizon, toIso(from), toIso(to)];

  const [{ rows: dayRows }, { rows: quantileRows }, description] = await Promise.all([
    db.query<DayRow>(
      `select ${epochMs('bucket')} as t, label_value as value, label_count::float8 as count, avg_realized_return as avg_return,
         avg_confidence, simulated_count::float8 as simulated
       from ml_labels_daily_counts
       where symbol = $1 and label_type = $2 and horizon = $3 and bucket > $4::timestamptz - interval '1 day' and bucket <= $5
       order by bucket`,
      series,
    ),
    db.query<{ value: string; p10: number; p25: number; p50: number; p75: number; p90: number }>(
      `select label_value as value,
         q[1] as p10, q[2] as p25, q[3] as p50, q[4] as p75, q[5] as p90
       from (
         select label_value, percentile_cont(array[0.1, 0.25, 0.5, 0.75, 0.9]) within group (order by realized_return) as q
         from ml_labels
         where symbol = $1 and label_type = $2 and horizon = $3 and timestamp > $4 and timestamp <= $5 and realized_return is not null
         group by label_value
       ) x`,
      series,
    ),
    labelDescription(db, request.symbol, labelType, horizon),
  ]);

  const values = orderLabelValues(dayRows.map((r) => r.value));
  const days = new Map<number, LabelDay>();
  const totals = new Map<string, { count: number; returnSum: number; returnCount: number; confidenceSum: number; confidenceCount: number }>();
  for (const row of dayRows) {
    const day = days.get(row.t) ?? { t: row.t, counts: Object.fromEntries(values.map((v) => [v, 0])), simulated: 0 };
    day.counts[row.value] = row.count;
    day.simulated += row.simulated;
    days.set(row.t, day);
    const total = totals.get(row.value) ?? { count: 0, returnSum: 0, returnCount: 0, confidenceSum: 0, confidenceCount: 0 };
    total.count += row.count;
    if (row.avg_return !== null) {
      total.returnSum += row.avg_return * row.count;
      total.returnCount += row.count;
    }
    if (row.avg_confidence !== null) {
      total.confidenceSum += row.avg_confidence * row.count;
      total.confidenceCount += row.count;
    }
    totals.set(row.value, total);
  }
  const all = [...totals.values()].reduce((sum, t) => sum + t.count, 0);
  const quantiles = new Map(quantileRows.map((q) => [q.value, q]));
  const classes = values.map((value): LabelClass => {
    const t = totals.get(value)!;
    const q = quantiles.get(value);
    return {
      value,
      count: t.count,
      share: all ? t.count / all : 0,
      avgConfidence: t.confidenceCount ? t.confidenceSum / t.confidenceCount : null,
      meanReturn: t.returnCount ? t.returnSum / t.returnCount : null,
      quantiles: q ? { p10: q.p10, p25: q.p25, p50: q.p50, p75: q.p75, p90: q.p90 } : null,
    };
  });
  return { ...base, description, from, to, values, days: [...days.values()], classes };
}
