/** Client-side JSON fetch for TanStack Query: a non-2xx answer becomes an Error carrying the API's message. */
export class ApiRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export async function fetchJson<T>(url: string, signal?: AbortSignal, init: RequestInit = {}): Promise<T> {
  const response = await fetch(url, { signal, ...init });
  const body = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!response.ok) throw new ApiRequestError(response.status, body?.error ?? `${response.status} ${response.statusText}`);
  return body as T;
}

/** POSTs JSON (or nothing) and reads the JSON answer; errors as fetchJson. */
export function sendJson<T>(url: string, body?: unknown): Promise<T> {
  return fetchJson<T>(url, undefined, {
    method: 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  return search.toString();
}
