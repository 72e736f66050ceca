import { countTables } from '@/lib/health/count-tables';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

// Counts are live: the page polls them, so a browser cache would only show stale numbers.
export const GET = jsonRoute(async () => ({ tables: await countTables() }));
