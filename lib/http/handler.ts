import { NextResponse } from 'next/server';
import { z } from 'zod';
import { ApiError } from './errors';

type Handler = (request: Request) => Promise<Response>;

export interface HandlerOptions {
  /** Cache-Control for successful responses. */
  cache?: string;
  /** Status of successful responses (201 for creations). */
  status?: number;
}

/** Wraps a route: JSON out, ApiError and zod errors mapped to 4xx with a message naming the problem, anything else to 500. */
export function jsonRoute<T>(work: (request: Request) => Promise<T>, { cache = 'no-store', status = 200 }: HandlerOptions = {}): Handler {
  return async (request) => {
    try {
      return NextResponse.json(await work(request), { status, headers: { 'Cache-Control': cache } });
    } catch (error) {
      if (error instanceof ApiError) {
        return NextResponse.json({ error: error.message, details: error.details }, { status: error.status, headers: { 'Cache-Control': 'no-store', ...error.headers } });
      }
      if (error instanceof z.ZodError) {
        return NextResponse.json({ error: zodMessage(error), details: error.issues }, { status: 400, headers: { 'Cache-Control': 'no-store' } });
      }
      console.error(error);
      return NextResponse.json({ error: 'internal error' }, { status: 500, headers: { 'Cache-Control': 'no-store' } });
    }
  };
}

/** The first problem, led by the name of the field it is about: what a 400 says. */
export function zodMessage(error: z.ZodError): string {
  const first = error.issues[0];
  return first ? `${first.path.join('.') || 'input'}: ${first.message}` : 'invalid input';
}

/** Parses a request's query string with a zod schema; a bad parameter becomes a 400 naming it. */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.infer<S> {
  const params = Object.fromEntries(new URL(request.url).searchParams.entries());
  return schema.parse(params);
}
