import { detectGaps, type Gap } from '@/lib/market/gaps';

/** What an import, backfill or collection tells its caller about missing candles. */
export interface GapSummary {
  count: number;
  /** Missing candles in all gaps together. */
  missing: number;
  largest: Gap | null;
  first: Gap | null;
}

/** Pure: the gaps between sorted open times (not before the first or after the last). */
export function summarizeGaps(timestamps: readonly number[], timeframe: string): GapSummary {
  const gaps = detectGaps(timestamps, timeframe);
  return {
    count: gaps.length,
    missing: gaps.reduce((sum, g) => sum + g.missing, 0),
    largest: gaps.reduce<Gap | null>((max, g) => (!max || g.missing > max.missing ? g : max), null),
    first: gaps[0] ?? null,
  };
}

export function describeGaps(summary: GapSummary): string {
  if (!summary.count) return 'no gaps';
  const at = (g: Gap) => `${new Date(g.from).toISOString()} (${g.missing} missing)`;
  return `${summary.count} gap${summary.count === 1 ? '' : 's'}, ${summary.missing} candles missing; first ${at(summary.first!)}, largest ${at(summary.largest!)}`;
}
