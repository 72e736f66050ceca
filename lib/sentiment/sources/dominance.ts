import { z } from 'zod';
import type { Candle } from '@/lib/market/candle';
import { fetchJson } from '../http';
import { HOUR_MS } from '../../market/time';

/**
 * BTC dominance: Bitcoin's share of the crypto market, in percent. From CoinGecko's keyless
 * /api/v3/global (share of total market capitalisation) or, when CoinGecko is unavailable, computed
 * from the tracked symbols' candles (share of traded quote volume). The two are different
 * quantities, so every stored value says which method produced it.
 */
export const COINGECKO_SOURCE = 'coingecko';

export type DominanceMethod = 'coingecko_market_cap' | 'tracked_volume_share';

const payload = z.object({
  data: z.object({
    market_cap_percentage: z.object({ btc: z.number().finite().min(0).max(100) }),
    updated_at: z.number().optional(),
  }),
});

export interface CoinGeckoRequest {
  baseUrl: string;
  timeoutMs: number;
  userAgent?: string;
}

export async function fetchCoinGeckoDominance(request: CoinGeckoRequest): Promise<number> {
  const body = await fetchJson(
    { sourceId: COINGECKO_SOURCE, url: `${request.baseUrl}/api/v3/global`, timeoutMs: request.timeoutMs, headers: request.userAgent ? { 'user-agent': request.userAgent } : undefined },
    payload,
  );
  return body.data.market_cap_percentage.btc;
}

export const VOLUME_SHARE_HOURS = 24;

/**
 * BTC's share (percent) of Σ close·volume over the 1h candles opening in (hour − 24h, hour] of the
 * tracked symbols, all quoted in the same currency. Null without BTC, without another coin, or
 * without any traded volume.
 */
export function volumeShareDominance(candlesByCoin: ReadonlyMap<string, readonly Candle[]>, hour: number): number | null {
  const from = hour - VOLUME_SHARE_HOURS * HOUR_MS;
  const traded = new Map<string, number>();
  for (const [coin, candles] of candlesByCoin) {
    traded.set(coin, candles.filter((c) => c.timestamp > from && c.timestamp <= hour).reduce((sum, c) => sum + c.close * c.volume, 0));
  }
  const btc = traded.get('BTC');
  const total = [...traded.values()].reduce((sum, v) => sum + v, 0);
  if (btc === undefined || traded.size < 2 || !(total > 0)) return null;
  return (100 * btc) / total;
}
