import { z } from 'zod';
import { config } from '@/lib/config/env';
import { DEFAULT_LABEL_SPECS, LABEL_TYPES, type LabelSpec, type LabelType } from '@/lib/labels/definitions';
import { findSpec } from '@/lib/labels/specs';
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

/**
 * What happens to values computed from simulated inputs (a simulated candle, label or sentiment
 * input such as the news feed): `empty` keeps the row and empties just those values, `drop` leaves
 * the whole row out, `include` keeps them (flagged in `is_simulated`).
 */
export const SIMULATED_POLICIES = ['empty', 'drop', 'include'] as const;
export type SimulatedPolicy = (typeof SIMULATED_POLICIES)[number];

/** One candle series. The key will gain the exchange once the tables carry it. */
export interface SeriesKey {
  symbol: string;
  timeframe: string;
}

/** A label to export: its type and horizon, and the column prefix `label_<name>`. */
export interface ExportLabelSpec {
  type: LabelType;
  horizon: string;
  name: string;
  /** The configured spec (LABEL_SPECS) it was asked for by, when one matches. */
  spec: LabelSpec | null;
}

export interface ExportRequest {
  /** Every combination of the symbols and timeframes asked for, sorted as the rows are. */
  series: SeriesKey[];
  labels: ExportLabelSpec[];
  from: number;
  /** Exclusive. */
  to: number;
  format: ExportFormat;
  simulated: SimulatedPolicy;
  /** Oldest sentiment row (by the end of its hour) still joined to a candle, ms before its close. */
  sentimentToleranceMs: number;
  /** Keep rows whose feature windows cross a gap in the candles (left out by default). */
  includeGaps: boolean;
}

export const DEFAULT_SENTIMENT_TOLERANCE = '24h';

/** Bad input: the message says which argument and why. Maps to exit code 2 / HTTP 400. */
export class ExportArgumentError extends DomainError {
  override name = 'ExportArgumentError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_SERIES = 200;
const MAX_LABELS = 12;

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

const symbolSchema = z.string().trim().min(1, 'symbol is required').max(40).regex(/^[A-Za-z0-9][A-Za-z0-9/:._-]*$/, 'symbol looks like BTC/USDT');
const timeframeSchema = z.string().trim().refine((tf) => {
  try {
    timeframeMs(tf);
    return true;
  } catch {
    return false;
  }
}, 'timeframe looks like 1m, 15m, 1h, 4h, 1d');

/** `price_direction`, `price_direction:4h`, or the name of a configured spec (LABEL_SPECS). */
const labelSchema = z.string().trim().transform((value, ctx) => {
  const [nameOrType, horizon, extra] = value.split(':');
  const specs = config().LABEL_SPECS;
  const spec = findSpec(specs, nameOrType!, horizon || undefined) ?? null;
  const type = spec?.type ?? ((LABEL_TYPES as readonly string[]).includes(nameOrType!) ? (nameOrType as LabelType) : null);
  if (extra !== undefined || !type) {
    ctx.addIssue({ code: 'custom', message: `label must be one of ${LABEL_TYPES.join(', ')} or a LABEL_SPECS name (${specs.map((s) => s.name).join(', ')}), optionally with a horizon (price_direction:4h); got "${value}"` });
    return z.NEVER;
  }
  return { type, horizon: horizon || undefined, spec };
});

const durationMs = (name: string) =>
  z.string().trim().transform((value, ctx) => {
    if (value === '0') return 0;
    try {
      return horizonMs(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `${name} must be a duration such as 0, 90m, 6h, 1d; got "${value}"` });
      return z.NEVER;
    }
  });

const nonEmpty = <T extends z.ZodType>(item: T, name: string, max: number) =>
  z.array(item).min(1, `${name} is required`).max(max, `at most ${max} ${name} values`);

const requestSchema = z
  .object({
    symbols: nonEmpty(symbolSchema, 'symbol', MAX_SERIES),
    timeframes: nonEmpty(timeframeSchema, 'timeframe', 8),
    from: instant('from', false),
    to: instant('to', true),
    labels: nonEmpty(labelSchema, 'label', MAX_LABELS),
    /** The horizon of a single label given without one (the older --horizon option). */
    horizon: z.string().trim().optional(),
    format: z.enum(['csv', 'parquet'], { error: 'format must be csv or parquet' }).default('csv'),
    simulated: z.enum(SIMULATED_POLICIES, { error: `simulated must be one of ${SIMULATED_POLICIES.join(', ')}` }).default('empty'),
    sentimentTolerance: durationMs('sentiment tolerance').optional(),
    includeGaps: z.boolean().default(false),
  })
  .transform((r, ctx): ExportRequest => {
    if (r.horizon !== undefined && r.labels.length > 1) ctx.addIssue({ code: 'custom', path: ['horizon'], message: 'horizon applies to a single label; give each label its own (price_direction:4h)' });
    const symbols = [...new Set(r.symbols)].sort();
    const timeframes = [...new Set(r.timeframes)].sort((a, b) => timeframeMs(a) - timeframeMs(b));
    const series = symbols.flatMap((symbol) => timeframes.map((timeframe) => ({ symbol, timeframe })));
    if (series.length > MAX_SERIES) ctx.addIssue({ code: 'custom', path: ['symbol'], message: `at most ${MAX_SERIES} series (symbols × timeframes) in one export` });

    const labels = new Map<string, ExportLabelSpec>();
    for (const label of r.labels) {
      const horizon = label.horizon ?? r.horizon ?? label.spec?.horizon ?? DEFAULT_LABEL_SPECS[label.type].horizon;
      try {
        const ms = horizonMs(horizon);
        for (const timeframe of timeframes) {
          if (ms % timeframeMs(timeframe) !== 0) ctx.addIssue({ code: 'custom', path: ['horizon'], message: `horizon ${horizon} is not a whole number of ${timeframe} candles` });
        }
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['horizon'], message: (error as Error).message });
      }
      // A spec asked for by its own name keeps it; otherwise type and horizon name the columns.
      const named = label.spec && label.spec.name !== label.type && label.spec.horizon === horizon;
      const name = named ? label.spec!.name : `${label.type}_${horizon}`;
      labels.set(name, { type: label.type, horizon, name, spec: label.spec?.horizon === horizon ? label.spec : null });
    }
    if (r.from >= r.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'to must be after from' });
    return { series, labels: [...labels.values()], from: r.from, to: r.to, format: r.format, simulated: r.simulated, sentimentToleranceMs: r.sentimentTolerance ?? horizonMs(DEFAULT_SENTIMENT_TOLERANCE), includeGaps: r.includeGaps };
  });

export type ExportRequestInput = z.input<typeof requestSchema>;

export function parseExportRequest(input: ExportRequestInput): ExportRequest {
  const parsed = requestSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => (i.path.length && !i.message.startsWith(String(i.path[0])) ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new ExportArgumentError([...new Set(issues)].join('; '));
  }
  return parsed.data;
}

/** Values of a repeatable query parameter: `symbol=BTC/USDT&symbol=ETH/USDT` or `symbol=BTC/USDT,ETH/USDT`. */
const listParam = (params: URLSearchParams, name: string) =>
  params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

/**
 * The HTTP query string: symbol, timeframe and label (each repeatable or comma-separated), from,
 * to, and optionally horizon, format (csv|parquet), simulated (empty|drop|include; the older
 * includeSimulated=true means include), sentimentTolerance and includeGaps=true.
 */
export function parseExportQuery(params: URLSearchParams): ExportRequest {
  const flag = params.get('includeSimulated') ?? params.get('include_simulated');
  if (flag !== null && !['true', 'false', '1', '0'].includes(flag)) throw new ExportArgumentError('includeSimulated must be true or false');
  const simulated = params.get('simulated') ?? (flag === 'true' || flag === '1' ? 'include' : undefined);
  return parseExportRequest({
    symbols: listParam(params, 'symbol'),
    timeframes: listParam(params, 'timeframe'),
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
    labels: listParam(params, 'label'),
    horizon: params.get('horizon') ?? undefined,
    format: (params.get('format') ?? undefined) as ExportFormat | undefined,
    simulated: simulated as SimulatedPolicy | undefined,
    sentimentTolerance: params.get('sentimentTolerance') ?? undefined,
    includeGaps: ['true', '1'].includes(params.get('includeGaps') ?? ''),
  });
}
