import { z } from 'zod';
import { DEFAULT_TRACKED_SYMBOLS } from '../market/symbol';
import { DEFAULT_TRACKED_TIMEFRAMES } from '../market/timeframe';
import { symbolSchema, timeframeSchema } from '../zod/market';
import { DomainError, type DomainErrorOptions } from '../errors';
import { retentionEnvSchema, tierProblems } from '../db/retention-tiers';
import { labelSpecsEnvSchema } from '../labels/specs';

/**
 * Every setting the product reads, validated once. A bad value stops start-up with a message that
 * names the variable; `.env.example` documents each one.
 */
const postgresUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ['postgres:', 'postgresql:'].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, 'must be a postgres:// or postgresql:// URL');

const flag = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((value) => value === 'true' || value === '1');

const list = <T extends z.ZodType<string, string>>(item: T, what: string) =>
  z
    .string()
    .transform((value) => value.split(',').map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(item).min(1, `needs at least one ${what}`));


const envSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_MODE: z.enum(['auto', 'timescale', 'plain']).default('auto'),
  DATABASE_EMBEDDED: flag.default(false),
  EMBEDDED_PG_DIR: z.string().trim().min(1).default('./data/postgres'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  // Loopback-only server; the password is fixed when the data folder is first created.
  EMBEDDED_PG_PASSWORD: z.string().min(8).default('feature-foundation-local'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  // Web reads: PostgreSQL cancels a statement past this; the client gives up on a silent server after the second.
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(15_000),
  // The web server's listen address; loopback only when the admin token was generated on first start.
  HOST: z.string().trim().regex(/^[0-9a-fA-F:.]+$|^localhost$/, 'an IP address such as 127.0.0.1 or 0.0.0.0').optional(),
  // Reverse proxies (IP addresses) whose X-Forwarded-For / X-Forwarded-Proto / X-Forwarded-Host are believed.
  TRUSTED_PROXIES: list(z.string().regex(/^[0-9a-fA-F:.]+$/, 'IP addresses such as 127.0.0.1'), 'address').optional(),

  EXCHANGE_ID: z.string().regex(/^[a-z0-9]+$/, 'a ccxt exchange id such as binance').default('binance'),
  // Replaces the exchange's API host (a proxy or mirror); unset in normal use.
  EXCHANGE_API_URL: z.url().optional(),
  EXCHANGE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  TRACKED_SYMBOLS: list(symbolSchema, 'symbol').default([...DEFAULT_TRACKED_SYMBOLS]),
  TRACKED_TIMEFRAMES: list(timeframeSchema, 'timeframe').default([...DEFAULT_TRACKED_TIMEFRAMES]),

  RUN_WORKER: flag.default(true),
  // `npm start` restarts a web server, worker or embedded PostgreSQL that died at most this many times in 10 minutes.
  RESTART_LIMIT: z.coerce.number().int().min(0).max(100).default(5),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  // Jobs a worker takes from a queue at once; collections among them run as one batched cycle.
  WORKER_BATCH_SIZE: z.coerce.number().int().min(1).max(2000).default(200),
  // Requests to the exchange in flight at once during a cycle (ccxt's rate limiter still spaces them).
  EXCHANGE_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  WORKER_SCHEDULE: flag.default(true),
  // A job whose worker stopped heart-beating this long ago (killed, machine gone) is retried.
  WORKER_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(600).default(30),
  WORKER_RETRY_LIMIT: z.coerce.number().int().min(0).max(20).default(5),
  // First retry delay; it doubles with each retry (with jitter), up to 10 minutes.
  WORKER_RETRY_DELAY_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),

  // Secrets are trimmed first: sixteen spaces are not a token.
  ADMIN_TOKEN: z.string().trim().min(16, 'must be at least 16 characters (not counting spaces around it)').optional(),
  ADMIN_USERNAME: z.string().trim().min(1, 'must not be blank').optional(),
  ADMIN_PASSWORD: z.string().refine((value) => value.trim().length >= 12, 'must be at least 12 characters (not counting spaces around it)').optional(),

  // Per-timeframe horizons: `1m=90d,1h=off` (see lib/db/retention-tiers.ts).
  ...retentionEnvSchema,
  // Label specs `name=type/horizon/threshold,…` (see lib/labels/specs.ts).
  ...labelSpecsEnvSchema,
  // Models (lib/models): drift grades per feature, the recent window it compares, live scoring's look-back.
  MODEL_DRIFT_PSI_AMBER: z.coerce.number().positive().default(0.1),
  MODEL_DRIFT_PSI_RED: z.coerce.number().positive().default(0.25),
  MODEL_DRIFT_KS_AMBER: z.coerce.number().positive().max(1).default(0.1),
  MODEL_DRIFT_KS_RED: z.coerce.number().positive().max(1).default(0.2),
  MODEL_DRIFT_RECENT_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  MODEL_DRIFT_MIN_ROWS: z.coerce.number().int().min(10).max(100_000).default(100),
  MODEL_SCORE_LOOKBACK_HOURS: z.coerce.number().int().min(1).max(24 * 30).default(48),
}).superRefine((env, context) => {
  for (const { variable, message } of tierProblems({ raw: env.RETENTION_RAW, aggregates: env.RETENTION_AGGREGATES })) {
    context.addIssue({ code: 'custom', path: [variable], message });
  }
  if (Boolean(env.ADMIN_USERNAME) !== Boolean(env.ADMIN_PASSWORD)) {
    context.addIssue({ code: 'custom', path: [env.ADMIN_USERNAME ? 'ADMIN_PASSWORD' : 'ADMIN_USERNAME'], message: 'set ADMIN_USERNAME and ADMIN_PASSWORD together' });
  }
  if (env.MODEL_DRIFT_PSI_AMBER >= env.MODEL_DRIFT_PSI_RED) {
    context.addIssue({ code: 'custom', path: ['MODEL_DRIFT_PSI_AMBER'], message: 'must be below MODEL_DRIFT_PSI_RED' });
  }
  if (env.MODEL_DRIFT_KS_AMBER >= env.MODEL_DRIFT_KS_RED) {
    context.addIssue({ code: 'custom', path: ['MODEL_DRIFT_KS_AMBER'], message: 'must be below MODEL_DRIFT_KS_RED' });
  }
});

export type AppConfig = z.infer<typeof envSchema>;

export class ConfigError extends DomainError {
  override name = 'ConfigError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

/** Empty strings count as unset, as they do in most .env tooling. */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

export function parseConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const result = envSchema.safeParse(withoutEmpty(env));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const [variable, item] = issue.path;
      return `${String(variable)}${typeof item === 'number' ? ` (item ${item + 1})` : ''}: ${issue.message}`;
    });
    // One line, each problem led by its variable: what an operator greps a log for.
    throw new ConfigError(`Invalid configuration: ${problems.join('; ')} (see .env.example)`);
  }
  return result.data;
}

let cached: AppConfig | undefined;

export function config(): AppConfig {
  cached ??= parseConfig();
  return cached;
}
