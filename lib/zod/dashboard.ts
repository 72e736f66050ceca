import { z } from 'zod';
import { MAX_CHART_POINTS, MIN_CHART_POINTS } from '@/lib/dashboard/buckets';
import { isSaneInstant, SANE_INSTANT_MESSAGE } from '@/lib/market/time';
import { durationSchema, rangeSchema, symbolSchema, timeframeSchema } from './market';

/** Query parameters of the dashboard's API routes. A bad one is a 400 naming it (lib/http/handler.ts). */
/** An instant the window ends at; absent means "the newest stored row" (historical imports end years ago). */
export const endParam = z.iso
  .datetime({ offset: true, error: 'an ISO 8601 date-time such as 2022-06-13T00:00:00Z' })
  .transform((value) => Date.parse(value))
  .refine(isSaneInstant, SANE_INSTANT_MESSAGE);

export const indicatorQuery = z.object({
  symbol: symbolSchema,
  timeframe: timeframeSchema,
  range: rangeSchema.default('30d'),
  end: endParam.optional(),
  points: z.coerce.number({ error: 'a number of chart points' }).int('a whole number').min(MIN_CHART_POINTS).max(MAX_CHART_POINTS).default(1_000),
});
export type IndicatorQuery = z.infer<typeof indicatorQuery>;

export const sentimentQuery = z.object({
  symbol: symbolSchema,
  range: rangeSchema.default('90d'),
  end: endParam.optional(),
});
export type SentimentQuery = z.infer<typeof sentimentQuery>;

export const labelQuery = z.object({
  symbol: symbolSchema,
  labelType: z.string().regex(/^[a-z0-9_]{1,40}$/, 'a label type such as direction').optional(),
  horizon: durationSchema.optional(),
  range: rangeSchema.default('90d'),
  end: endParam.optional(),
});
export type LabelQuery = z.infer<typeof labelQuery>;

export const qualityQuery = z.object({
  days: z.coerce.number({ error: 'a number of days' }).int('a whole number of days').min(1).max(365).default(30),
});
export type QualityQuery = z.infer<typeof qualityQuery>;

export const quarantineQuery = z.object({
  page: z.coerce.number({ error: 'a page number' }).int('a whole page number').min(1).default(1),
  pageSize: z.coerce.number({ error: 'a page size' }).int().min(1).max(200).default(25),
  source: z.string().min(1).max(60).optional(),
  // '*' is the market-wide pseudo-symbol of the sentiment inputs.
  symbol: z.union([symbolSchema, z.literal('*')]).optional(),
  rule: z.string().regex(/^[a-z]+$/, 'a validation rule such as high or jump').optional(),
});
export type QuarantineQuery = z.infer<typeof quarantineQuery>;

/** GET /api/quality/gaps: one series' gaps over its whole history, paged. */
export const gapsQuery = z.object({
  symbol: symbolSchema,
  timeframe: timeframeSchema,
  page: z.coerce.number({ error: 'a page number' }).int('a whole page number').min(1).default(1),
  pageSize: z.coerce.number({ error: 'a page size' }).int().min(1).max(200).default(25),
});
export type GapsQuery = z.infer<typeof gapsQuery>;
