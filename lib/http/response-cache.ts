import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * JSON responses kept as bytes, per key, with their compressed forms: fifty dashboards asking for
 * the same month cost one database read, one serialisation and one compression per encoding, and
 * every further answer is a buffer written to the socket.
 *
 * Entries are only as fresh as the cache is told: `invalidate()` drops everything (the owner calls
 * it when the data changes), and a computation that was running when it was called still answers
 * the requests waiting for it but is not kept, since it may have read before the change. While the
 * owner cannot promise to report changes (`trust(false)`), nothing is kept at all.
 */
export type Encoding = 'br' | 'gzip' | 'identity';

const compressors: Record<Exclude<Encoding, 'identity'>, (json: Buffer) => Promise<Buffer>> = {
  // Quality 5: within a few percent of the best ratio for numeric JSON, at gzip's speed.
  br: (json) => promisify(brotliCompress)(json, { params: { [constants.BROTLI_PARAM_QUALITY]: 5, [constants.BROTLI_PARAM_SIZE_HINT]: json.length } }),
  gzip: (json) => promisify(gzip)(json, { level: 6 }),
};

export class CachedJson {
  /** Weak: the same JSON under any encoding (If-None-Match compares weakly). */
  readonly etag: string;
  private readonly encoded = new Map<Encoding, Promise<Buffer>>();

  constructor(readonly json: Buffer) {
    this.etag = `W/"${createHash('sha1').update(json).digest('base64url')}"`;
    this.encoded.set('identity', Promise.resolve(json));
  }

  /** The bytes for one encoding, compressed on first use and kept. */
  body(encoding: Encoding): Promise<Buffer> {
    let body = this.encoded.get(encoding);
    if (!body) {
      body = compressors[encoding as Exclude<Encoding, 'identity'>](this.json);
      this.encoded.set(encoding, body);
    }
    return body;
  }
}

export interface ResponseCacheOptions {
  ttlMs: number;
  /** Bound on the identity JSON kept (compressed forms add about half again). */
  maxBytes: number;
  now?: () => number;
}

interface Slot {
  expires: number;
  value: CachedJson;
}

export class ResponseCache {
  private readonly entries = new Map<string, Slot>();
  private readonly pending = new Map<string, Promise<CachedJson>>();
  private bytes = 0;
  private generation = 0;
  private trusted = false;

  constructor(private readonly options: ResponseCacheOptions) {}

  /** Whether changes are being reported; entries are kept only while they are. */
  trust(trusted: boolean): void {
    if (!trusted) this.invalidate();
    this.trusted = trusted;
  }

  /** The data changed: nothing kept or being computed now may be answered again. */
  invalidate(): void {
    this.generation += 1;
    this.entries.clear();
    this.pending.clear();
    this.bytes = 0;
  }

  async get(key: string, compute: () => Promise<unknown>): Promise<CachedJson> {
    const now = (this.options.now ?? Date.now)();
    const hit = this.entries.get(key);
    if (hit && hit.expires > now) return hit.value;
    if (hit) this.remove(key);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const made = compute().then((value) => new CachedJson(Buffer.from(JSON.stringify(value))));
    if (!this.trusted) return made;
    this.pending.set(key, made);
    try {
      const value = await made;
      if (generation === this.generation) this.keep(key, value, now + this.options.ttlMs);
      return value;
    } finally {
      if (this.pending.get(key) === made) this.pending.delete(key);
    }
  }

  private keep(key: string, value: CachedJson, expires: number): void {
    this.entries.set(key, { expires, value });
    this.bytes += value.json.length;
    // Oldest first: Maps iterate in insertion order.
    for (const oldest of this.entries.keys()) {
      if (this.bytes <= this.options.maxBytes || oldest === key) break;
      this.remove(oldest);
    }
  }

  private remove(key: string): void {
    const slot = this.entries.get(key);
    if (!slot) return;
    this.entries.delete(key);
    this.bytes -= slot.value.json.length;
  }
}

/** The client's preferred encoding among those kept: br, then gzip, else identity (q=0 refuses one). */
export function negotiateEncoding(acceptEncoding: string | null): Encoding {
  const accepted = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q ? Number(q.slice(2)) : 1;
    if (name) accepted.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (name: string) => accepted.get(name) ?? accepted.get('*') ?? 0;
  if (weightOf('br') > 0) return 'br';
  if (weightOf('gzip') > 0) return 'gzip';
  return 'identity';
}

/** Whether an If-None-Match header names this ETag (weak comparison, as RFC 9110 asks for GET). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === opaque(etag));
}

/** The cached JSON, compressed as the client accepts, with its ETag; 304 when the client already has it. */
export async function cachedJsonResponse(request: Request, entry: CachedJson, cacheControl: string): Promise<Response> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Cache-Control': cacheControl, ETag: entry.etag, Vary: 'Accept-Encoding' };
  if (matches(request.headers.get('if-none-match'), entry.etag)) return new Response(null, { status: 304, headers });
  const encoding = negotiateEncoding(request.headers.get('accept-encoding'));
  const body = await entry.body(encoding);
  if (encoding !== 'identity') headers['Content-Encoding'] = encoding;
  headers['Content-Length'] = String(body.length);
  return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { headers });
}
