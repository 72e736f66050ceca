import { loadTables } from '@/lib/dashboard/loaders';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

// Counts are live: the page polls them, so a browser cache would only show stale numbers.
export const GET = jsonRoute(loadTables);
