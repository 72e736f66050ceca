import { NextResponse } from 'next/server';
import { z } from 'zod';
import { ApiError } from './errors';

type Handler = (request: Request) => Promise<Response>;

export interface HandlerOptions {
  /** Cache-Control for successful responses. */
  cache?: string;
}

/** Wraps a route: JSON out, ApiError and zod errors mapped to 4xx with a message naming the problem, anything else to 500. */
export function jsonRoute<T>(work: (request: Request) => Promise<T>, { cache = 'no-store' }: HandlerOptions = {}): Handler {
  return async (request) => {
    try {
      return NextResponse.json(await work(request), { headers: { 'Cache-Control': cache } });
    } catch (error) {
      if (error instanceof ApiError) {
        return NextResponse.json({ error: error.message, details: error.details }, { status: error.status, headers: { 'Cache-Control': 'no-store' } });
      }
      if (error instanceof z.ZodError) {
        const first = error.issues[0];
        const message = first ? `${first.path.join('.') || 'input'}: ${first.message}` : 'invalid input';
        return NextResponse.json({ error: message, details: error.issues }, { status: 400, headers: { 'Cache-Control': 'no-store' } });
      }
      console.error(error);
      return NextResponse.json({ error: 'internal error' }, { status: 500, headers: { 'Cache-Control': 'no-store' } });
    }
  };
}

/** Parses a request's query string with a zod schema; a bad parameter becomes a 400 naming it. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  return schema.parse(params);
}
