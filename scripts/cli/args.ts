import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DomainError } from '@/lib/errors';

/** Bad arguments: exit code 2, with the usage text. */
export class UsageError extends DomainError {
  override name = 'UsageError';
  constructor(message: string) {
    super('invalid', message);
  }
}

/** Nothing to do (nothing to label, nothing to export): exit code 1 with the reason, no usage text. */
export class NothingToDoError extends DomainError {
  override name = 'NothingToDoError';
  constructor(message: string) {
    super('not_found', message);
  }
}

export type Options = NonNullable<ParseArgsConfig['options']>;
export const text = { type: 'string' } as const;
export const texts = { type: 'string', multiple: true } as const;
export const flag = { type: 'boolean' } as const;

type Values<T extends Options> = { [K in keyof T]: T[K] extends { multiple: true } ? string[] | undefined : T[K] extends { type: 'boolean' } ? boolean | undefined : string | undefined };

export function parse<T extends Options>(args: string[], options: T, required: (keyof T & string)[]): Values<T> {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const missing = required.filter((name) => values[name] === undefined || values[name] === '' || (Array.isArray(values[name]) && !(values[name] as unknown[]).length));
  if (missing.length) throw new UsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  return values as Values<T>;
}

export function parseDate(value: string, flagName: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(ms)) throw new UsageError(`${flagName} ${JSON.stringify(value)} is not a date (use ISO-8601 or unix milliseconds)`);
  return ms;
}
