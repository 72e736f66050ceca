import { NextResponse } from 'next/server';
import type { z } from 'zod';
import { invalid } from '@/lib/errors';
import { errorResponse } from './errors';
import { cleanParams } from './query';

export { zodMessage } from './errors';

/**
 * A route handler. C is Next's second argument (`{ params }` of a dynamic segment); Next always
 * passes it, so only routes that read it declare it, and callers in tests may leave it out.
 */
export type RouteHandler<C = unknown> = (request: Request, context?: C) => Promise<Response>;

export interface HandlerOptions {
  /** Cache-Control for successful responses. */
  cache?: string;
  /** Status of successful responses (201 for creations). */
  status?: number;
}

/**
 * Wraps a route: JSON out, errors mapped to their HTTP status once (lib/http/errors.ts). `work` may
 * return a Response of its own (a file download); anything else is sent as JSON.
 */
export function jsonRoute<T, C = unknown>(work: (request: Request, context: C) => Promise<T>, { cache = 'no-store', status = 200 }: HandlerOptions = {}): RouteHandler<C> {
  return async (request, context) => {
    try {
      const result = await work(request, context as C);
      if (result instanceof Response) return result;
      return NextResponse.json(result, { status, headers: { 'Cache-Control': cache } });
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** Parses a request's query string (lib/http/query.ts refuses duplicates, NUL, non-UTF-8) with a zod schema; a bad parameter becomes a 400 naming it. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  return schema.parse(cleanParams(new URL(request.url).searchParams));
}

/** Parses a JSON body with a zod schema; a body that is not JSON is a 400 saying what was expected. */
export async function parseBody<S extends z.ZodType>(request: Request, schema: S, expected: string): Promise<z.infer<S>> {
  const body: unknown = await request.json().catch(() => {
    throw invalid(`the body must be JSON: ${expected}`);
  });
  return schema.parse(body);
}
