import { outageReason } from './db/outage';

/**
 * The one error vocabulary of the product. Every layer throws a DomainError with a kind saying what
 * went wrong for the caller; the edges translate kinds once: lib/http/errors.ts to HTTP statuses,
 * exitCodeFor() to the command line's exit codes. Messages name the input and the reason.
 */
export const ERROR_KINDS = [
  /** The input is wrong (a parameter, a file, a setting); asking again the same way fails again. */
  'invalid',
  /** The request is well-formed but the data it carries is not (a CSV file with a bad row). */
  'unprocessable',
  /** Nothing matches: an unknown run, or a request with nothing to give (an empty export). */
  'not_found',
  /** The request contradicts the current state (cancelling a finished run). */
  'conflict',
  /** No valid session or credentials. */
  'unauthorized',
  /** Known, but not allowed here (cross-site requests, a closed admin area). */
  'forbidden',
  /** Too many attempts; `Retry-After` says when to come back. */
  'rate_limited',
  /** A dependency (database, exchange, source) does not answer now; the same request may work later. */
  'unavailable',
  /** A bug or an unexpected state. */
  'internal',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface DomainErrorOptions {
  /** Machine-readable details for the caller (an API body's `details`). */
  details?: unknown;
  /** Response headers that go with the error (Retry-After). */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class DomainError extends Error {
  override name = 'DomainError';
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    readonly kind: ErrorKind,
    message: string,
    { details, headers = {}, cause }: DomainErrorOptions = {},
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.details = details;
    this.headers = headers;
  }
}

export const invalid = (message: string, details?: unknown) => new DomainError('invalid', message, { details });
export const notFound = (message: string, details?: unknown) => new DomainError('not_found', message, { details });
export const conflict = (message: string) => new DomainError('conflict', message);
export const unauthorized = (message: string) => new DomainError('unauthorized', message);
export const forbidden = (message: string) => new DomainError('forbidden', message);

/**
 * The kind of any thrown value: a DomainError says it; zod's errors are bad input; a database
 * that is away, restarting or too slow (lib/db/outage.ts) is unavailable; the rest is internal.
 */
export function errorKindOf(error: unknown): ErrorKind {
  if (error instanceof DomainError) return error.kind;
  if (error instanceof Error && error.name === 'ZodError') return 'invalid';
  if (outageReason(error)) return 'unavailable';
  return 'internal';
}

/**
 * The command line's exit codes: 0 done, 2 bad arguments (nothing was read or written), 1 anything
 * else, including "nothing to do".
 */
export const EXIT_CODES: Readonly<Record<ErrorKind, 1 | 2>> = {
  invalid: 2,
  unprocessable: 1,
  not_found: 1,
  conflict: 1,
  unauthorized: 1,
  forbidden: 1,
  rate_limited: 1,
  unavailable: 1,
  internal: 1,
};

export const exitCodeFor = (error: unknown): 1 | 2 => EXIT_CODES[errorKindOf(error)];
