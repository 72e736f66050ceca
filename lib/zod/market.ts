import { z } from 'zod';
import { LEGACY_RANGE_KEYS, RANGE_KEYS } from '@/lib/market/range';
import { SYMBOL_PATTERN } from '@/lib/market/symbol';
import { TIMEFRAMES } from '@/lib/market/timeframe';
import { isDuration } from '@/lib/market/time';

/** The market vocabulary as input schemas: environment, API queries and job payloads all use these. */
export const symbolSchema = z.string({ error: 'required: a pair such as BTC/USDT' }).regex(SYMBOL_PATTERN, 'a pair such as BTC/USDT');

export const timeframeSchema = z.enum(TIMEFRAMES, { error: `one of ${TIMEFRAMES.join(' ')}` });

/** A range key; the month-based keys of earlier versions (`1m`, `3m`, `6m`) still answer, as 30d, 90d, 180d. */
export const rangeSchema = z.preprocess(
  (value) => (typeof value === 'string' && Object.hasOwn(LEGACY_RANGE_KEYS, value) ? LEGACY_RANGE_KEYS[value] : value),
  z.enum(RANGE_KEYS as [string, ...string[]], { error: `one of ${RANGE_KEYS.join(' ')}` }),
) as unknown as z.ZodType<(typeof RANGE_KEYS)[number], string>;

export const durationSchema = z.string().refine(isDuration, 'a duration such as 4h or 1d');
