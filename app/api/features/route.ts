import { loadFeatures } from '@/lib/dashboard/loaders';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

/**
 * GET /api/features: the feature catalogue (every OHLCV and sentiment feature with its definition,
 * parameters, warm-up, unit, inputs and version) and, per tracked or stored series, up to when its
 * features, labels per spec and sentiment are materialized.
 */
export const GET = jsonRoute(loadFeatures);
