import { listQuarantine } from '@/lib/dashboard/quality/quarantine';
import { getPrisma } from '@/lib/db/prisma';
import { jsonRoute, parseQuery } from '@/lib/http/handler';
import { quarantineQuery } from '@/lib/zod/dashboard';

export const dynamic = 'force-dynamic';

/** GET /api/quality/quarantine?page=1&pageSize=25[&source=][&symbol=][&rule=]: rejected rows, newest first. */
export const GET = jsonRoute(async (request) => listQuarantine(getPrisma(), parseQuery(request, quarantineQuery)), { cache: 'no-store' });
