import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { NextResponse } from 'next/server';
import { getPool } from '@/lib/db/pool';
import { ExportArgumentError, ExportEmptyError, parseExportQuery, trainingSetDownload, type TrainingSetDownload } from '@/lib/export';
import { ApiError } from '@/lib/http/errors';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

/**
 * The point-in-time training set as a download, the same bytes as `npm run features -- export`:
 * ?symbol&timeframe&from&to&label (symbol, timeframe and label repeatable or comma-separated)
 * [&horizon][&format=csv|parquet][&simulated=empty|drop|include][&sentimentTolerance=24h].
 * `metadata=true` answers with the metadata JSON instead of the file.
 *
 * The export streams into a temporary file in bounded memory; the response then streams that file
 * with its Content-Length (which polars.read_parquet(url) and other readers need) and removes it.
 */
async function prepare(request: Request): Promise<TrainingSetDownload> {
  try {
    return await trainingSetDownload(getPool(), parseExportQuery(new URL(request.url).searchParams));
  } catch (error) {
    if (error instanceof ExportArgumentError) throw new ApiError(400, error.message);
    if (error instanceof ExportEmptyError) throw new ApiError(404, error.message, error.metadata);
    throw error;
  }
}

function headers(download: TrainingSetDownload): Record<string, string> {
  return {
    'Content-Type': download.contentType,
    'Content-Length': String(download.size),
    'Content-Disposition': `attachment; filename="${download.filename}"`,
    'Cache-Control': 'no-store',
    'X-Rows': String(download.metadata.rows.exported),
  };
}

async function respond(request: Request, withBody: boolean): Promise<Response> {
  let download: TrainingSetDownload | undefined;
  const failure = await jsonRoute(async () => {
    download = await prepare(request);
    return null;
  })(request);
  if (!download) return failure;
  if (new URL(request.url).searchParams.get('metadata') === 'true' || !withBody) {
    const { metadata } = download;
    const head = headers(download);
    download.dispose();
    return withBody ? NextResponse.json(metadata, { headers: { 'Cache-Control': 'no-store' } }) : new Response(null, { headers: head });
  }
  const stream = createReadStream(download.path);
  const done = download.dispose;
  stream.once('close', done);
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { headers: headers(download) });
}

export const GET = (request: Request) => respond(request, true);
/** Readers that ask for the size first (HEAD) get the same headers; the export runs to know it. */
export const HEAD = (request: Request) => respond(request, false);
