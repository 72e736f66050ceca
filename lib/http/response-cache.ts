import { createHash } from 'node:crypto';

/**
 * JSON responses kept for a few seconds, per key: fifty dashboards asking for the same month cost
 * one database read and one JSON serialisation, not fifty.
 * Concurrent misses share one computation. The freshness window is what the route already promises
 * with Cache-Control (private, max-age=15).
 */
interface Entry {
  expires: number;
  json: Buffer;
  etag: string;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private readonly pending = new Map<string, Promise<Entry>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 200,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, compute: () => Promise<unknown>): Promise<Entry> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const made = compute()
      .then((value) => {
        const json = Buffer.from(JSON.stringify(value));
        const entry: Entry = { expires: this.now() + this.ttlMs, json, etag: `"${createHash('sha1').update(json).digest('base64url')}"` };
        this.entries.delete(key);
        this.entries.set(key, entry);
        if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
        return entry;
      })
      .finally(() => this.pending.delete(key));
    this.pending.set(key, made);
    return made;
  }
}

/**
 * The cached JSON with its ETag; 304 when the client already has these bytes. Compression (gzip) is
 * left to the Next.js server, which encodes every response the client accepts compressed.
 */
export function cachedJsonResponse(request: Request, entry: Entry, cacheControl: string): Response {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': cacheControl, ETag: entry.etag };
  if (request.headers.get('if-none-match') === entry.etag) return new Response(null, { status: 304, headers });
  return new Response(new Uint8Array(entry.json), { headers });
}
