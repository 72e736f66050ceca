import { NextResponse } from 'next/server';
import { getPool } from '@/lib/db/pool';
import { ExportArgumentError, ExportEmptyError, parseExportQuery, trainingSetDownload } from '@/lib/export';
import { ApiError } from '@/lib/http/errors';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

/**
 * The point-in-time training set as a download, the same bytes as `npm run features -- export`:
 * ?symbol&timeframe&from&to&label[&horizon][&format=csv|parquet][&includeSimulated=true].
 * `metadata=true` answers with the metadata JSON instead of the file.
 */
export async function GET(request: Request) {
  const params = new URL(request.url).searchParams;
  let download;
  try {
    download = await trainingSetDownload(getPool(), parseExportQuery(params));
  } catch (error) {
    return jsonRoute(async () => {
      if (error instanceof ExportArgumentError) throw new ApiError(400, error.message);
      if (error instanceof ExportEmptyError) throw new ApiError(404, error.message, error.metadata);
      throw error;
    })(request);
  }
  if (params.get('metadata') === 'true') {
    return NextResponse.json(download.metadata, { headers: { 'Cache-Control': 'no-store' } });
  }
  return new NextResponse(new Uint8Array(download.body), {
    headers: {
      'Content-Type': download.contentType,
      'Content-Disposition': `attachment; filename="${download.filename}"`,
      'Cache-Control': 'no-store',
      'X-Rows': String(download.metadata.rows.exported),
    },
  });
}
