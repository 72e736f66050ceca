import type { Sql } from '@/lib/db/sql';
import { trainingSetDownload, type TrainingSetDownload } from './export';
import type { ExportRequest } from './request';

/**
 * Recent downloads, kept as their temporary files for a short while. Readers such as polars
 * (object_store) ask for a file's size (HEAD) and then read byte ranges of it in
 * several requests: those must all see the same bytes, and should not each run the export again.
 * The same request within TTL_MS is answered from the same file; at most MAX_ENTRIES are kept.
 */
export const DOWNLOAD_TTL_MS = 120_000;
const MAX_ENTRIES = 8;

interface Entry {
  download: Promise<TrainingSetDownload>;
  expires: number;
}

const entries = new Map<string, Entry>();

function evict(key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  // An open read stream keeps its file readable after the unlink (POSIX), so a response in flight completes.
  entry.download.then((d) => d.dispose(), () => undefined);
}

/** The download for `request`, from the cache or exported now (concurrent callers share one export). */
export function cachedTrainingSetDownload(db: Sql, request: ExportRequest, now: number = Date.now()): Promise<TrainingSetDownload> {
  for (const [key, entry] of entries) if (entry.expires <= now) evict(key);
  const key = JSON.stringify(request);
  const cached = entries.get(key);
  if (cached) return cached.download;
  while (entries.size >= MAX_ENTRIES) evict(entries.keys().next().value!);
  const download = trainingSetDownload(db, request, { now });
  entries.set(key, { download, expires: now + DOWNLOAD_TTL_MS });
  // A failed export is not remembered: the next request tries again.
  download.catch(() => entries.delete(key));
  const timer = setTimeout(() => entries.get(key)?.download === download && evict(key), DOWNLOAD_TTL_MS);
  timer.unref?.();
  return download;
}

/** A parsed `Range: bytes=…` header for a file of `size` bytes: one range, or 'unsatisfiable', or null (send it all). */
export function byteRange(header: string | null, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges or another unit: answering with the whole file is allowed (RFC 9110 §14.2).
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}
