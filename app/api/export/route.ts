import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { NextResponse } from 'next/server';
import { getPool } from '@/lib/db/pool';
import { byteRange, cachedTrainingSetDownload, parseExportQuery, type TrainingSetDownload } from '@/lib/export';
import { errorResponse } from '@/lib/http/errors';
import { cleanParams } from '@/lib/http/query';

export const dynamic = 'force-dynamic';

/**
 * The point-in-time training set as a download, the same bytes as `npm run features -- export`:
 * ?symbol&timeframe&from&to&label (symbol, timeframe and label repeatable or comma-separated)
 * [&horizon][&format=csv|parquet][&simulated=empty|drop|include][&sentimentTolerance=24h].
 * `metadata=true` answers with the metadata JSON instead of the file.
 *
 * The export streams into a temporary file in bounded memory; responses stream that file with its
 * Content-Length, and answer HEAD and byte-range requests from it (polars.read_parquet(url) reads
 * Parquet over HTTP that way), for a couple of minutes (lib/export/download-cache.ts).
 */
/** Bad parameters are a 400 naming them, nothing to export a 404 with the metadata saying why (their error kinds). */
async function prepare(request: Request): Promise<TrainingSetDownload> {
  const params = new URL(request.url).searchParams;
  cleanParams(params, ['symbol', 'timeframe', 'label']); // NUL bytes, non-UTF-8 and repeated single values are a 400 before anything is read
  return cachedTrainingSetDownload(getPool(), parseExportQuery(params));
}

function fileHeaders(download: TrainingSetDownload): Record<string, string> {
  return {
    'Content-Type': download.contentType,
    'Content-Disposition': `attachment; filename="${download.filename}"`,
    'Cache-Control': 'no-store',
    'Accept-Ranges': 'bytes',
    // One export, one tag: a reader reading ranges can tell they all come from the same file.
    ETag: `"${Date.parse(download.metadata.created_at).toString(36)}-${download.size.toString(36)}"`,
    'Last-Modified': new Date(download.metadata.created_at).toUTCString(),
    'X-Rows': String(download.metadata.rows.exported),
  };
}

function fileBody(download: TrainingSetDownload, start: number, end: number): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(download.path, { start, end })) as ReadableStream<Uint8Array>;
}

async function respond(request: Request, withBody: boolean): Promise<Response> {
  let download: TrainingSetDownload;
  try {
    download = await prepare(request);
  } catch (error) {
    return errorResponse(error);
  }
  if (new URL(request.url).searchParams.get('metadata') === 'true') return NextResponse.json(download.metadata, { headers: { 'Cache-Control': 'no-store' } });

  const headers = fileHeaders(download);
  const range = byteRange(request.headers.get('range'), download.size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'Content-Range': `bytes */${download.size}` } });
  if (range) {
    const length = range.end - range.start + 1;
    const partial = { ...headers, 'Content-Range': `bytes ${range.start}-${range.end}/${download.size}`, 'Content-Length': String(length) };
    return new Response(withBody ? fileBody(download, range.start, range.end) : null, { status: 206, headers: partial });
  }
  const whole = { ...headers, 'Content-Length': String(download.size) };
  return new Response(withBody && download.size ? fileBody(download, 0, download.size - 1) : null, { headers: whole });
}

export const GET = (request: Request) => respond(request, true);
/** Readers that ask for the size first (HEAD) get the same headers, from the same export. */
export const HEAD = (request: Request) => respond(request, false);
