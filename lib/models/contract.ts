import { z } from 'zod';
import { FEATURE_COLUMNS } from '@/lib/features/definitions';
import { horizonMs } from '@/lib/labels/compute';
import { DEFAULT_LABEL_SPECS, LABEL_TYPES, LABEL_VALUES, type LabelType } from '@/lib/labels/definitions';
import { SYMBOL_PATTERN } from '@/lib/market/symbol';
import { timeframeMs } from '@/lib/market/timeframe';
import { SENTIMENT_FEATURE_COLUMNS } from '@/lib/sentiment/features';
import { ModelContractError } from './errors';

/**
 * What a model version is registered with, validated once for the CLI, the admin upload and the
 * baseline trainer. A model predicts one label type (and horizon) of one timeframe from an ordered
 * list of the product's stored features.
 */
export const PRICE_FEATURES = ['open_price', 'high_price', 'low_price', 'close_price', 'volume'] as const;
/** Every stored value a model may take as input: candle prices, OHLCV features, sentiment features. */
export const MODEL_FEATURES: readonly string[] = [...PRICE_FEATURES, ...FEATURE_COLUMNS, ...SENTIMENT_FEATURE_COLUMNS];
export const SENTIMENT_FEATURES: ReadonlySet<string> = new Set(SENTIMENT_FEATURE_COLUMNS);

export const MODEL_STATUSES = ['candidate', 'active', 'retired', 'failed'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];
export const MODEL_KINDS = ['onnx', 'majority', 'logistic_regression'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

const name = z.string().trim().min(1, 'is required').max(80).regex(/^[a-z0-9][a-z0-9._-]*$/i, 'use letters, digits, . _ -');
const isoDate = z.string().trim().transform((value, ctx) => {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a date (2022-01-01 or an ISO-8601 datetime)` });
    return z.NEVER;
  }
  return new Date(ms);
});

export const registrationSchema = z
  .object({
    name,
    version: name,
    labelType: z.enum(LABEL_TYPES, { error: `must be one of ${LABEL_TYPES.join(', ')}` }),
    horizon: z.string().trim().optional(),
    threshold: z.number().positive().optional(),
    timeframe: z.string().trim().default('1h'),
    symbols: z.array(z.string().trim().regex(SYMBOL_PATTERN, 'symbols look like BTC/USDT')).default([]),
    /** In the input's column order; may be left empty when the file's metadata_props name them. */
    features: z.array(z.string().trim()).default([]),
    classNames: z.array(z.string().trim().min(1)).optional(),
    trainingStart: isoDate.optional(),
    trainingEnd: isoDate.optional(),
    registeredBy: z.string().trim().min(1).max(120).default('unknown'),
  })
  .superRefine((r, ctx) => {
    const unknown = r.features.filter((f) => !MODEL_FEATURES.includes(f));
    if (unknown.length) ctx.addIssue({ code: 'custom', path: ['features'], message: `not stored features: ${unknown.join(', ')} (see GET /api/models for the list)` });
    try {
      const step = timeframeMs(r.timeframe);
      const horizon = horizonMs(r.horizon ?? DEFAULT_LABEL_SPECS[r.labelType].horizon);
      if (horizon % step !== 0) ctx.addIssue({ code: 'custom', path: ['horizon'], message: `is not a whole number of ${r.timeframe} candles` });
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['horizon'], message: (error as Error).message });
    }
    if (r.classNames) {
      const values = LABEL_VALUES[r.labelType];
      const bad = r.classNames.filter((c) => !values.includes(c));
      if (bad.length || r.classNames.length !== values.length) {
        ctx.addIssue({ code: 'custom', path: ['classNames'], message: `must be ${values.join(', ')} (in any order: the probability columns' order)` });
      }
    }
    if (r.trainingStart && r.trainingEnd && r.trainingStart >= r.trainingEnd) {
      ctx.addIssue({ code: 'custom', path: ['trainingEnd'], message: 'must be after trainingStart' });
    }
  })
  .transform((r) => ({ ...r, horizon: r.horizon ?? DEFAULT_LABEL_SPECS[r.labelType].horizon }));

export type RegistrationInput = z.input<typeof registrationSchema>;
export type Registration = z.output<typeof registrationSchema>;

/** Parses a registration; bad input becomes a ModelContractError naming the field. */
export function parseRegistration(input: unknown): Registration {
  const parsed = registrationSchema.safeParse(input);
  if (!parsed.success) {
    throw new ModelContractError(parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '), 'invalid');
  }
  return parsed.data;
}

export const modelIdOf = (name: string, version: string) => `${name}@${version}`;

/** A registered version as the rest of the product sees it. */
export interface ModelRecord {
  modelId: string;
  name: string;
  version: string;
  kind: ModelKind;
  status: ModelStatus;
  labelType: LabelType;
  horizon: string;
  threshold: number | null;
  timeframe: string;
  symbols: string[];
  features: string[];
  classNames: string[];
  trainingStart: string | null;
  trainingEnd: string | null;
  fileChecksum: string | null;
  inputName: string | null;
  probabilityOutput: string | null;
  metrics: Record<string, unknown>;
  registeredBy: string;
  registeredAt: string;
  activatedAt: string | null;
  retiredAt: string | null;
  trainedAt: string;
}
