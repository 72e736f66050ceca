import { loadQuarantine } from '@/lib/dashboard/loaders';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { quarantineQuery } from '@/lib/zod/dashboard';

export const dynamic = 'force-dynamic';

/** GET /api/quality/quarantine?page=1&pageSize=25[&source=][&symbol=][&rule=]: rejected rows, newest first. */
export const GET = jsonRoute(async (request) => loadQuarantine(parseQuery(request, quarantineQuery)), { cache: 'no-store' });
