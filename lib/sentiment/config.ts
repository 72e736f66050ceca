import { z } from 'zod';
import { DomainError, type DomainErrorOptions } from '@/lib/errors';

/**
 * Where the sentiment sources are, read from the environment and validated once. Every source is
 * keyless except CryptoPanic, which is used only when CRYPTOPANIC_API_KEY is set. Base URLs are
 * settable so a proxy (or the tests' local server) can stand in for the real hosts.
 */
export interface NewsFeed {
  /** Short name used as the document source and the attempt source ('rss:<id>'). */
  id: string;
  url: string;
}

export interface SentimentSourceConfig {
  timeoutMs: number;
  userAgent: string;
  fearGreedBaseUrl: string;
  newsFeeds: NewsFeed[];
  redditBaseUrl: string;
  subreddits: string[];
  cryptoPanic: { apiKey: string; baseUrl: string } | null;
  coinGeckoBaseUrl: string;
}

export const DEFAULT_NEWS_FEEDS: readonly NewsFeed[] = [
  { id: 'coindesk', url: 'https://www.coindesk.com/arc/outboundfeeds/rss/' },
  { id: 'cointelegraph', url: 'https://cointelegraph.com/rss' },
  { id: 'decrypt', url: 'https://decrypt.co/feed' },
];

export const DEFAULT_SUBREDDITS: readonly string[] = ['CryptoCurrency', 'Bitcoin', 'ethereum', 'solana', 'CryptoMarkets'];

const httpUrl = z
  .string()
  .trim()
  .url()
  .refine((value) => /^https?:$/.test(new URL(value).protocol), 'must be an http(s) URL')
  .transform((value) => value.replace(/\/+$/, ''));

export class SentimentConfigError extends DomainError {
  override name = 'SentimentConfigError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

/** "name=url" or a bare URL (named after its host, without "www." and the top-level domain). */
function feedFrom(entry: string): NewsFeed {
  const match = /^([a-z0-9_.-]+)=(.+)$/i.exec(entry);
  const parsed = httpUrl.safeParse(match ? match[2] : entry);
  if (!parsed.success) throw new SentimentConfigError(`Invalid sentiment configuration: SENTIMENT_NEWS_FEEDS: "${entry}" is not an http(s) URL or name=URL`);
  const id = match ? match[1]! : new URL(parsed.data).hostname.replace(/^www\./, '').replace(/\.[a-z]+$/i, '');
  return { id, url: parsed.data };
}

const list = (value: string) => value.split(',').map((item) => item.trim()).filter(Boolean);

const envSchema = z.object({
  SENTIMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  SENTIMENT_USER_AGENT: z.string().trim().min(1).default('feature-foundation/0.1 (crypto sentiment collector)'),
  FEAR_GREED_BASE_URL: httpUrl.default('https://api.alternative.me'),
  SENTIMENT_NEWS_FEEDS: z.string().optional(),
  REDDIT_BASE_URL: httpUrl.default('https://www.reddit.com'),
  SENTIMENT_SUBREDDITS: z
    .string()
    .optional()
    .refine((value) => value === undefined || list(value).every((s) => /^[A-Za-z0-9_]{2,21}$/.test(s)), 'subreddit names are 2–21 letters, digits or _'),
  CRYPTOPANIC_API_KEY: z.string().trim().optional(),
  CRYPTOPANIC_BASE_URL: httpUrl.default('https://cryptopanic.com/api/developer/v2'),
  COINGECKO_BASE_URL: httpUrl.default('https://api.coingecko.com'),
});

export function parseSentimentConfig(env: Record<string, string | undefined> = process.env): SentimentSourceConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new SentimentConfigError(`Invalid sentiment configuration:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
  }
  const e = parsed.data;
  const newsFeeds = e.SENTIMENT_NEWS_FEEDS === undefined ? [...DEFAULT_NEWS_FEEDS] : list(e.SENTIMENT_NEWS_FEEDS).map(feedFrom);
  const ids = newsFeeds.map((f) => f.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new SentimentConfigError(`Invalid sentiment configuration: SENTIMENT_NEWS_FEEDS names "${duplicate}" twice; name them (name=url)`);
  return {
    timeoutMs: e.SENTIMENT_TIMEOUT_MS,
    userAgent: e.SENTIMENT_USER_AGENT,
    fearGreedBaseUrl: e.FEAR_GREED_BASE_URL,
    newsFeeds,
    redditBaseUrl: e.REDDIT_BASE_URL,
    subreddits: e.SENTIMENT_SUBREDDITS === undefined ? [...DEFAULT_SUBREDDITS] : list(e.SENTIMENT_SUBREDDITS),
    cryptoPanic: e.CRYPTOPANIC_API_KEY ? { apiKey: e.CRYPTOPANIC_API_KEY, baseUrl: e.CRYPTOPANIC_BASE_URL } : null,
    coinGeckoBaseUrl: e.COINGECKO_BASE_URL,
  };
}
