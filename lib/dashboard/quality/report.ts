import 'server-only';
import type { Sql } from '@/lib/db/sql';
import { listStoredSeries } from '../series';
import { freshness, type Freshness } from '../thresholds';
import { fallbackRates, type FallbackRates } from './fallback';
import { seriesGaps, type SeriesGaps } from './gaps';
import { validationFailures, type ValidationFailures } from './quarantine';
import { simulatedRates, type SimulatedDay } from './simulated';
import { storageReport, type StorageReport } from './storage';

export interface SeriesQuality extends SeriesGaps {
  newest: number;
  freshness: Freshness;
  candles: number;
  simulated: number;
}

export interface QualityReport {
  now: number;
  days: number;
  series: SeriesQuality[];
  fallback: FallbackRates;
  simulated: SimulatedDay[];
  failures: ValidationFailures[];
  storage: StorageReport;
}

/** Everything the quality page shows except the quarantined rows themselves (paginated separately). */
export async function getQualityReport(db: Sql, request: { now: number; days: number; embedded: boolean }): Promise<QualityReport> {
  const stored = await listStoredSeries(db);
  const [gaps, fallback, simulated, failures, storage] = await Promise.all([
    seriesGaps(db, stored, request.days),
    fallbackRates(db, request),
    simulatedRates(db, request),
    validationFailures(db, request),
    storageReport(db, request),
  ]);
  const gapsByKey = new Map(gaps.map((g) => [`${g.symbol} ${g.timeframe}`, g]));
  const series = stored.map((s): SeriesQuality => ({
    ...gapsByKey.get(`${s.symbol} ${s.timeframe}`)!,
    symbol: s.symbol,
    timeframe: s.timeframe,
    newest: s.newest,
    freshness: freshness(s.newest, s.timeframe, request.now),
    candles: s.candles,
    simulated: s.simulated,
  }));
  return { now: request.now, days: request.days, series, fallback, simulated, failures, storage };
}
