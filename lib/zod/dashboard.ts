import { z } from 'zod';
import { MAX_CHART_POINTS, MIN_CHART_POINTS, RANGE_KEYS } from '@/lib/dashboard/buckets';

/** Query parameters of the dashboard's API routes. A bad one is a 400 naming it (lib/http/handler.ts). */
export const symbolParam = z.string({ error: 'required: a pair such as BTC/USDT' }).regex(/^[A-Z0-9]{2,15}\/[A-Z0-9]{2,15}$/, 'a pair such as BTC/USDT');
export const timeframeParam = z.enum(['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '1w'], {
  error: 'one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 1w',
});
export const rangeParam = z.enum(RANGE_KEYS, { error: `one of ${RANGE_KEYS.join(' ')}` });
/** An instant the window ends at; absent means "the newest stored row" (historical imports end years ago). */
export const endParam = z.iso.datetime({ offset: true, error: 'an ISO 8601 date-time such as 2022-06-13T00:00:00Z' }).transform((value) => Date.parse(value));

export const indicatorQuery = z.object({
  symbol: symbolParam,
  timeframe: timeframeParam,
  range: rangeParam.default('1m'),
  end: endParam.optional(),
  points: z.coerce.number({ error: 'a number of chart points' }).int('a whole number').min(MIN_CHART_POINTS).max(MAX_CHART_POINTS).default(1_000),
});
export type IndicatorQuery = z.infer<typeof indicatorQuery>;

export const sentimentQuery = z.object({
  symbol: symbolParam,
  range: rangeParam.default('3m'),
  end: endParam.optional(),
});
export type SentimentQuery = z.infer<typeof sentimentQuery>;

export const labelQuery = z.object({
  symbol: symbolParam,
  labelType: z.string().regex(/^[a-z0-9_]{1,40}$/, 'a label type such as direction').optional(),
  horizon: z.string().regex(/^[1-9][0-9]*[mhdw]$/, 'a horizon such as 4h or 1d').optional(),
  range: rangeParam.default('3m'),
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
  symbol: z.union([symbolParam, z.literal('*')]).optional(),
  rule: z.string().regex(/^[a-z]+$/, 'a validation rule such as high or jump').optional(),
});
export type QuarantineQuery = z.infer<typeof quarantineQuery>;
