import { NextResponse } from 'next/server';
import { getPool } from '@/lib/db/pool';
import { cleanParams } from '@/lib/http/query';
import { parseExportQuery, trainingSetDownload } from '@/lib/export';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

/**
 * The point-in-time training set as a download, the same bytes as `npm run features -- export`:
 * ?symbol&timeframe&from&to&label[&horizon][&format=csv|parquet][&includeSimulated=true].
 * `metadata=true` answers with the metadata JSON instead of the file. Bad parameters are a 400,
 * nothing to export a 404 with the metadata saying why.
 */
export const GET = jsonRoute(async (request) => {
  const params = new URL(request.url).searchParams;
  cleanParams(params); // duplicates, NUL bytes and non-UTF-8 are a 400 before anything is read
  const download = await trainingSetDownload(getPool(), parseExportQuery(params));
  if (params.get('metadata') === 'true') return download.metadata;
  return new NextResponse(new Uint8Array(download.body), {
    headers: {
      'Content-Type': download.contentType,
      'Content-Disposition': `attachment; filename="${download.filename}"`,
      'Cache-Control': 'no-store',
      'X-Rows': String(download.metadata.rows.exported),
    },
  });
});
