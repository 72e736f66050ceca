import type { IndicatorColumns } from '@/lib/dashboard/indicators';

/** One point as recharts wants it: the columns zipped, plus the [low, high] range the candle bar spans. */
export type ChartRow = { [K in keyof IndicatorColumns]: IndicatorColumns[K][number] } & { range: [number, number] | null };

/**
 * Zips the columns into rows. Where buckets are missing (an outage, a gap in the data) an empty row
 * is inserted, so lines break there instead of drawing a straight line across missing data.
 */
export function toRows(columns: IndicatorColumns, widthMs: number): ChartRow[] {
  const keys = Object.keys(columns) as (keyof IndicatorColumns)[];
  const rows: ChartRow[] = [];
  columns.t.forEach((t, i) => {
    const previous = columns.t[i - 1];
    if (previous !== undefined && t - previous > widthMs * 1.5) {
      const gap = Object.fromEntries(keys.map((key) => [key, null])) as Record<string, unknown>;
      rows.push({ ...gap, t: previous + widthMs, range: null, candles: 0, simulated: 0 } as ChartRow);
    }
    const row = {} as Record<string, unknown>;
    for (const key of keys) row[key] = columns[key][i];
    row.range = [columns.low[i], columns.high[i]];
    rows.push(row as ChartRow);
  });
  return rows;
}
