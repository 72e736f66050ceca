import { z } from 'zod';
import { SourceError } from '@/lib/market/source';
import { fetchJson } from '../http';

/**
 * The Crypto Fear & Greed Index from alternative.me (keyless): one value per UTC day, 0 (extreme
 * fear) to 100 (extreme greed). `limit` days back from today; 0 asks for the whole history.
 */
export const FEAR_GREED_SOURCE = 'alternative.me';

export interface FearGreedSample {
  /** Start of the UTC day the value is for, unix ms. */
  timestamp: number;
  value: number;
  classification: string;
}

// The API sends numbers as strings ("40", "1551157200"); accept real numbers too.
const integerText = z.union([z.number().int(), z.string().trim().regex(/^\d+$/).transform(Number)]);

const payload = z.object({
  data: z.array(
    z.object({
      value: integerText.pipe(z.number().int().min(0).max(100)),
      value_classification: z.string().trim().min(1),
      timestamp: integerText.pipe(z.number().int().positive()),
    }),
  ),
  metadata: z.object({ error: z.string().nullable().optional() }).optional(),
});

export interface FearGreedRequest {
  baseUrl: string;
  timeoutMs: number;
  limit: number;
  userAgent?: string;
}

export async function fetchFearGreed(request: FearGreedRequest): Promise<FearGreedSample[]> {
  const url = `${request.baseUrl}/fng/?limit=${request.limit}&format=json`;
  const body = await fetchJson({ sourceId: FEAR_GREED_SOURCE, url, timeoutMs: request.timeoutMs, headers: request.userAgent ? { 'user-agent': request.userAgent } : undefined }, payload);
  if (body.metadata?.error) throw new SourceError('unavailable', `${FEAR_GREED_SOURCE}: ${body.metadata.error}`);
  if (!body.data.length) throw new SourceError('empty', `${FEAR_GREED_SOURCE}: no values in the answer`);
  return body.data.map((d) => ({ timestamp: d.timestamp * 1000, value: d.value, classification: d.value_classification }));
}
