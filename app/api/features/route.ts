import { config } from '@/lib/config/env';
import { materializationStatus } from '@/lib/dashboard/overview';
import { listStoredSeries } from '@/lib/dashboard/series';
import { getPool } from '@/lib/db/pool';
import { FEATURE_CATALOGUE } from '@/lib/features/catalogue';
import { jsonRoute } from '@/lib/http/handler';

export const dynamic = 'force-dynamic';

/**
 * GET /api/features: the feature catalogue (every OHLCV and sentiment feature with its definition,
 * parameters, warm-up, unit, inputs and version) and, per tracked or stored series, up to when its
 * features, labels per spec and sentiment are materialized.
 */
export const GET = jsonRoute(async () => {
  const db = getPool();
  const keys = new Map<string, { symbol: string; timeframe: string }>();
  for (const symbol of config().TRACKED_SYMBOLS) for (const timeframe of config().TRACKED_TIMEFRAMES) keys.set(`${symbol} ${timeframe}`, { symbol, timeframe });
  for (const s of await listStoredSeries(db)) keys.set(`${s.symbol} ${s.timeframe}`, { symbol: s.symbol, timeframe: s.timeframe });
  const status = await materializationStatus(db, [...keys.values()]);
  return {
    count: FEATURE_CATALOGUE.length,
    features: FEATURE_CATALOGUE,
    series: [...keys.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, s]) => ({ ...s, materialization: status.get(key)! })),
  };
});
