import { CircuitBreaker, type CircuitBreakerOptions } from '@/lib/market/circuit-breaker';
import { SourceError } from '@/lib/market/source';
import type { SentimentSourceConfig } from './config';
import type { RawDocument } from './documents';
import { CRYPTOPANIC_SOURCE, fetchCryptoPanic } from './sources/cryptopanic';
import { COINGECKO_SOURCE, fetchCoinGeckoDominance } from './sources/dominance';
import { FEAR_GREED_SOURCE, fetchFearGreed, type FearGreedSample } from './sources/fear-greed';
import { fetchNewsFeed, newsSourceId } from './sources/news';
import { fetchSubreddit, redditSourceId, type FetchedDocuments } from './sources/reddit';

/** Which sentiment input a source feeds; also the `kind` of its collection attempts. */
export type SentimentInput = 'fear_greed' | 'news' | 'social' | 'dominance';

/** How one request to one source ended: a value, or a SourceError saying why not. */
export interface SourceFetch<T> {
  source: string;
  input: SentimentInput;
  startedAt: number;
  finishedAt: number;
  value?: T;
  failure?: SourceError;
  /** Items of the answer that were not usable. */
  dropped: number;
}

export interface FetchedSources {
  fearGreed: SourceFetch<FearGreedSample[]>;
  /** News feeds, CryptoPanic (when keyed) and subreddits, in that order. */
  documents: SourceFetch<RawDocument[]>[];
  dominance: SourceFetch<number>;
}

/** One breaker per source, kept by the caller across collections (the worker holds one). */
export type BreakerFor = (source: string) => CircuitBreaker | undefined;

export function sourceBreakers(options: CircuitBreakerOptions = {}): BreakerFor {
  const breakers = new Map<string, CircuitBreaker>();
  return (source) => {
    let breaker = breakers.get(source);
    if (!breaker) breakers.set(source, (breaker = new CircuitBreaker(options)));
    return breaker;
  };
}

interface FetchOptions {
  now: () => number;
  breakerFor?: BreakerFor;
  /** Days of Fear & Greed to ask for (0: the whole history). */
  fearGreedLimit: number;
}

async function attempt<T>(source: string, input: SentimentInput, options: FetchOptions, work: () => Promise<{ value: T; dropped: number }>): Promise<SourceFetch<T>> {
  const startedAt = options.now();
  const breaker = options.breakerFor?.(source);
  const done = (result: Partial<SourceFetch<T>>): SourceFetch<T> => ({ source, input, startedAt, finishedAt: Math.max(startedAt, options.now()), dropped: 0, ...result });
  if (breaker && !breaker.tryAcquire()) {
    return done({ failure: new SourceError('circuit_open', `${source}: circuit open after repeated failures; not asking until the cooldown ends`) });
  }
  try {
    const { value, dropped } = await work();
    breaker?.recordSuccess();
    return done({ value, dropped });
  } catch (error) {
    breaker?.recordFailure();
    // A bug in a parser must not take the other sources down with it: it is a malformed answer.
    const failure = error instanceof SourceError ? error : new SourceError('malformed', `${source}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    return done({ failure });
  }
}

const asDocuments = (fetched: FetchedDocuments) => ({ value: fetched.documents, dropped: fetched.dropped });

/** Asks every configured source at once; each ends on its own, none waits for or fails another. */
export async function fetchSentimentSources(config: SentimentSourceConfig, options: FetchOptions): Promise<FetchedSources> {
  const { timeoutMs, userAgent } = config;
  const documentFetches = [
    ...config.newsFeeds.map((feed) => attempt(newsSourceId(feed), 'news', options, async () => asDocuments(await fetchNewsFeed({ feed, timeoutMs, userAgent })))),
    ...(config.cryptoPanic
      ? [attempt(CRYPTOPANIC_SOURCE, 'news', options, async () => asDocuments(await fetchCryptoPanic({ ...config.cryptoPanic!, timeoutMs, userAgent })))]
      : []),
    ...config.subreddits.map((subreddit) =>
      attempt(redditSourceId(subreddit), 'social', options, async () => asDocuments(await fetchSubreddit({ baseUrl: config.redditBaseUrl, subreddit, timeoutMs, userAgent }))),
    ),
  ];
  const [fearGreed, dominance, ...documents] = await Promise.all([
    attempt(FEAR_GREED_SOURCE, 'fear_greed', options, async () => ({
      value: await fetchFearGreed({ baseUrl: config.fearGreedBaseUrl, timeoutMs, limit: options.fearGreedLimit, userAgent }),
      dropped: 0,
    })),
    attempt(COINGECKO_SOURCE, 'dominance', options, async () => ({ value: await fetchCoinGeckoDominance({ baseUrl: config.coinGeckoBaseUrl, timeoutMs, userAgent }), dropped: 0 })),
    ...documentFetches,
  ]);
  return {
    fearGreed: fearGreed as SourceFetch<FearGreedSample[]>,
    dominance: dominance as SourceFetch<number>,
    documents: documents as SourceFetch<RawDocument[]>[],
  };
}
