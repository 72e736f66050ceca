import { z } from 'zod';
import { DEFAULT_LABEL_SPECS, LABEL_TYPES, type LabelSpec, type LabelType } from '@/lib/labels/definitions';
import { findSpec } from '@/lib/labels/specs';
import { config } from '@/lib/config/env';
import { horizonMs } from '@/lib/labels/compute';
import { timeframeMs } from '@/lib/market/timeframe';
import { DAY_MS, isSaneInstant, SANE_INSTANT_MESSAGE } from '@/lib/market/time';
import { DomainError, type DomainErrorOptions } from '@/lib/errors';

/**
 * What a training-set export asks for, validated once for the command line and the dashboard
 * alike. Times are UTC; the range is [from, to) over candle open times. A bare date as `to` means
 * the whole of that day (--to 2024-03-31 includes March 31).
 */
export type ExportFormat = 'csv' | 'parquet';

export interface ExportRequest {
  symbol: string;
  timeframe: string;
  from: number;
  /** Exclusive. */
  to: number;
  label: LabelType;
  horizon: string;
  /** The configured spec the label was asked for by (its name), when one matches. */
  spec: LabelSpec | null;
  format: ExportFormat;
  includeSimulated: boolean;
  /** Keep rows whose feature windows cross a gap in the candles (left out by default). */
  includeGaps: boolean;
}

/** Bad input: the message says which argument and why. Maps to exit code 2 / HTTP 400. */
export class ExportArgumentError extends DomainError {
  override name = 'ExportArgumentError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

function instant(name: string, endOfDay: boolean) {
  return z.string().trim().transform((value, ctx) => {
    const dateOnly = DATE_ONLY.test(value);
    // Without an explicit offset a datetime would be read in the machine's zone: require one.
    if (!dateOnly && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: `${name} must be a date (2024-03-01) or a datetime with a zone (2024-03-01T12:00Z)` });
      return z.NEVER;
    }
    const ms = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
    // Date.parse rolls some impossible days over (2024-02-30 → March 1); a date must read back as written.
    if (Number.isNaN(ms) || (dateOnly && new Date(ms).toISOString().slice(0, 10) !== value)) {
      ctx.addIssue({ code: 'custom', message: `${name} "${value}" is not a valid date` });
      return z.NEVER;
    }
    if (!isSaneInstant(ms)) {
      ctx.addIssue({ code: 'custom', message: `${name} ${SANE_INSTANT_MESSAGE}` });
      return z.NEVER;
    }
    return dateOnly && endOfDay ? ms + DAY_MS : ms;
  });
}

const requestSchema = z
  .object({
    symbol: z.string().trim().min(1, 'symbol is required').max(40).regex(/^[A-Za-z0-9][A-Za-z0-9/:._-]*$/, 'symbol looks like BTC/USDT'),
    timeframe: z.string().trim().refine((tf) => {
      try {
        timeframeMs(tf);
        return true;
      } catch {
        return false;
      }
    }, 'timeframe looks like 1m, 15m, 1h, 4h, 1d'),
    from: instant('from', false),
    to: instant('to', true),
    // A label type, or the name of a configured spec (LABEL_SPECS).
    label: z.string().trim().min(1, `label must be one of ${LABEL_TYPES.join(', ')} or a LABEL_SPECS name`),
    horizon: z.string().trim().optional(),
    format: z.enum(['csv', 'parquet'], { error: 'format must be csv or parquet' }).default('csv'),
    includeSimulated: z.boolean().default(false),
    includeGaps: z.boolean().default(false),
  })
  .transform((r, ctx): ExportRequest => {
    // The configured specs (LABEL_SPECS) a label may be named by.
    const specsInUse = config().LABEL_SPECS;
    const spec = findSpec(specsInUse, r.label, r.horizon) ?? null;
    const type: LabelType | null = spec?.type ?? ((LABEL_TYPES as readonly string[]).includes(r.label) ? (r.label as LabelType) : null);
    if (!type) {
      ctx.addIssue({ code: 'custom', path: ['label'], message: `label must be one of ${LABEL_TYPES.join(', ')} or a LABEL_SPECS name (${specsInUse.map((s) => s.name).join(', ')})` });
      return z.NEVER;
    }
    const horizon = r.horizon ?? spec?.horizon ?? DEFAULT_LABEL_SPECS[type].horizon;
    try {
      const ms = horizonMs(horizon);
      if (ms % timeframeMs(r.timeframe) !== 0) ctx.addIssue({ code: 'custom', path: ['horizon'], message: `horizon ${horizon} is not a whole number of ${r.timeframe} candles` });
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['horizon'], message: (error as Error).message });
    }
    if (r.from >= r.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    return { ...r, label: type, horizon, spec };
  });

export type ExportRequestInput = z.input<typeof requestSchema>;

export function parseExportRequest(input: ExportRequestInput): ExportRequest {
  const parsed = requestSchema.safeParse(input);
  if (!parsed.success) {
    throw new ExportArgumentError(parsed.error.issues.map((i) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  }
  return parsed.data;
}

/**
 * The dashboard's query string: symbol, timeframe, from, to, label, and optionally horizon,
 * format (csv|parquet) and includeSimulated (true|false).
 */
export function parseExportQuery(params: URLSearchParams): ExportRequest {
  const flag = params.get('includeSimulated') ?? params.get('include_simulated');
  if (flag !== null && !['true', 'false', '1', '0'].includes(flag)) throw new ExportArgumentError('includeSimulated must be true or false');
  return parseExportRequest({
    symbol: params.get('symbol') ?? '',
    timeframe: params.get('timeframe') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    label: params.get('label') ?? '',
    horizon: params.get('horizon') ?? undefined,
    format: (params.get('format') ?? undefined) as 'csv' | 'parquet' | undefined,
    includeSimulated: flag === 'true' || flag === '1',
    includeGaps: ['true', '1'].includes(params.get('includeGaps') ?? ''),
  });
}
