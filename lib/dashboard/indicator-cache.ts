import 'server-only';
import { CANDLES_CHANGED, watchChanges, type ChangeFeed } from '@/lib/db/change-feed';
import { databaseUrl } from '@/lib/db/pool';
import { ResponseCache } from '@/lib/http/response-cache';

/**
 * The chart responses this process keeps (GET /api/indicators). Any stored candle invalidates them
 * all, as soon as its transaction commits (lib/db/change-feed.ts); without that promise, while the
 * feed's connection is away, nothing is kept. The TTL only bounds how long a window ending at "the
 * newest candle" is trusted if a notification were ever lost.
 */
let cache: ResponseCache | undefined;
let feed: ChangeFeed | undefined;

export function indicatorResponses(): ResponseCache {
  if (!cache) {
    const responses = new ResponseCache({ ttlMs: 60_000, maxBytes: 32 * 2 ** 20 });
    feed = watchChanges(databaseUrl(), CANDLES_CHANGED, { onChange: () => responses.invalidate(), onTrust: (trusted) => responses.trust(trusted) });
    cache = responses;
  }
  return cache;
}

/** Stops listening (tests, and a process that closes its pool). */
export async function closeIndicatorResponses(): Promise<void> {
  const closing = feed;
  cache = undefined;
  feed = undefined;
  await closing?.close();
}
