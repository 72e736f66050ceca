import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { DomainError, errorKindOf, type ErrorKind } from '@/lib/errors';
import { outageReason, RETRY_AFTER_SECONDS } from '@/lib/db/outage';
import { zodMessage } from '@/lib/zod/message';

export { zodMessage };

/** The one table from error kinds to HTTP statuses. */
export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  unprocessable: 422,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export const statusFor = (error: unknown): number => HTTP_STATUS[errorKindOf(error)];


function isZodError(error: unknown): error is z.ZodError {
  return error instanceof Error && error.name === 'ZodError' && Array.isArray((error as z.ZodError).issues);
}

/** Any thrown value as a JSON error response; internal errors are logged and say nothing more. */
export function errorResponse(error: unknown): NextResponse {
  const kind = errorKindOf(error);
  const headers = { 'Cache-Control': 'no-store', ...(error instanceof DomainError ? error.headers : {}) };
  if (kind === 'internal') {
    console.error(error);
    return NextResponse.json({ error: 'internal error' }, { status: HTTP_STATUS.internal, headers });
  }
  if (kind === 'unavailable') {
    // Outages say why and when to come back; clients and load balancers retry instead of giving up.
    const reason = error instanceof DomainError ? error.message : `service unavailable: ${outageReason(error)}; retry in a few seconds`;
    return NextResponse.json({ error: reason }, { status: HTTP_STATUS.unavailable, headers: { 'Retry-After': String(RETRY_AFTER_SECONDS), ...headers } });
  }
  const body = isZodError(error)
    ? { error: zodMessage(error), details: error.issues }
    : { error: (error as Error).message, details: (error as DomainError).details };
  return NextResponse.json(body, { status: HTTP_STATUS[kind], headers });
}
