import 'server-only';
import { config } from '@/lib/config/env';
import { getPool } from '@/lib/db/pool';
import { getPrisma } from '@/lib/db/prisma';
import { countTables } from '@/lib/health/count-tables';
import { getIndicatorSeries } from './indicators';
import { getLabelDistribution } from './labels';
import { FEATURE_CATALOGUE } from '@/lib/features/catalogue';
import { getOverview, listMaterialization } from './overview';
import { listSeriesGaps } from './quality/gaps';
import { listQuarantine, type QuarantineFilter } from './quality/quarantine';
import { getQualityReport } from './quality/report';
import { getSentimentHistory } from './sentiment';
import { listStoredSeries } from './series';
import type { GapsQuery, IndicatorQuery, LabelQuery, QualityQuery, SentimentQuery } from '@/lib/zod/dashboard';

/**
 * What each dashboard read needs from the process (pool, configuration, clock), in one place: the
 * API routes answer with these, and the pages call the same functions on the server for their
 * first paint, so both give the same data.
 */
export const loadOverview = () =>
  getOverview(getPool(), { now: Date.now(), trackedSymbols: config().TRACKED_SYMBOLS, trackedTimeframes: config().TRACKED_TIMEFRAMES });

/** The feature catalogue and, per series, up to when it is materialized (GET /api/features). */
export const loadFeatures = async () => ({
  count: FEATURE_CATALOGUE.length,
  features: FEATURE_CATALOGUE,
  series: await listMaterialization(getPool(), { symbols: config().TRACKED_SYMBOLS, timeframes: config().TRACKED_TIMEFRAMES }),
});

export const loadSeries = async () => ({ series: await listStoredSeries(getPool()) });

export const loadTables = async () => ({ tables: await countTables() });

export const loadIndicators = (query: IndicatorQuery) => getIndicatorSeries(getPool(), query);

export const loadSentiment = (query: SentimentQuery) => getSentimentHistory(getPool(), query);

export const loadLabels = (query: LabelQuery) => getLabelDistribution(getPool(), query);

export const loadQuality = (query: QualityQuery) => getQualityReport(getPool(), { ...query, now: Date.now(), embedded: config().DATABASE_EMBEDDED });

export const loadGaps = (query: GapsQuery) => listSeriesGaps(getPool(), query);

export const loadQuarantine = (filter: QuarantineFilter) => listQuarantine(getPrisma(), filter);
