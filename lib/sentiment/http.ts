import type { z } from 'zod';
import { SourceError } from '@/lib/market/source';

/**
 * The one way sentiment sources talk HTTP: a GET with a timeout that covers the whole answer
 * (headers and body), and every way it can go wrong turned into a SourceError whose kind says
 * what happened. Callers fall back on any SourceError.
 */
export interface HttpRequest {
  /** Recorded in messages and attempts, e.g. 'alternative.me'. */
  sourceId: string;
  url: string;
  timeoutMs: number;
  headers?: Record<string, string>;
}

// Anything bigger than this is not a feed or an API answer of the kind asked for.
const MAX_BODY_CHARS = 5_000_000;

/** Keys in query strings stay out of messages and the attempts table. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:auth_token|api_key|key|token)=)[^&]*/gi, '$1***');
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}

/** The body of a successful (2xx) answer as text. */
export async function fetchText(request: HttpRequest): Promise<string> {
  const where = `${request.sourceId} (${redactUrl(request.url)})`;
  let response: Response;
  let body: string;
  try {
    response = await fetch(request.url, {
      headers: request.headers,
      signal: AbortSignal.timeout(request.timeoutMs),
      redirect: 'follow',
    });
    body = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new SourceError('timeout', `${where}: no complete answer within ${request.timeoutMs} ms`, { cause: error });
    }
    throw new SourceError('network', `${where}: ${describe(error)}`, { cause: error });
  }
  if (response.status === 429) throw new SourceError('rate_limit', `${where}: rate limited (HTTP 429)`);
  if (response.status >= 500) throw new SourceError('unavailable', `${where}: HTTP ${response.status}`);
  if (!response.ok) throw new SourceError('rejected', `${where}: HTTP ${response.status} ${body.slice(0, 200)}`);
  if (!body.trim()) throw new SourceError('empty', `${where}: empty answer`);
  if (body.length > MAX_BODY_CHARS) throw new SourceError('malformed', `${where}: answer of ${body.length} characters is too large`);
  return body;
}

/** A JSON body checked against `schema`; anything else is a malformed answer. */
export async function fetchJson<S extends z.ZodType>(request: HttpRequest, schema: S): Promise<z.output<S>> {
  const body = await fetchText(request);
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new SourceError('malformed', `${request.sourceId}: the answer is not JSON (${body.length} characters starting ${JSON.stringify(body.slice(0, 40))})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError('malformed', `${request.sourceId}: unexpected answer: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}
