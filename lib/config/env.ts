import { z } from 'zod';

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
});

export type AppConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Empty strings count as unset, as they do in most .env tooling. */
function withoutEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

export function parseConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const result = envSchema.safeParse(withoutEmpty(env));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration (see .env.example):\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

let cached: AppConfig | undefined;

export function config(): AppConfig {
  cached ??= parseConfig();
  return cached;
}
