import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SourceError } from '@/lib/market/source';
import { fetchCryptoPanic } from '@/lib/sentiment/sources/cryptopanic';
import { fetchCoinGeckoDominance } from '@/lib/sentiment/sources/dominance';
import { fetchFearGreed } from '@/lib/sentiment/sources/fear-greed';
import { fetchNewsFeed } from '@/lib/sentiment/sources/news';
import { fetchSubreddit } from '@/lib/sentiment/sources/reddit';
import { PATHS, serveRecorded, startSentimentReplay, type Fault, type SentimentReplay } from './replay-server';

const TIMEOUT = 1_500;

describe('sentiment sources against recorded payloads', () => {
  let replay: SentimentReplay;
  beforeAll(async () => {
    replay = await startSentimentReplay();
  });
  afterAll(() => replay.close());
  afterEach(() => {
    for (const p of Object.values(PATHS)) replay.fail(p, null);
    serveRecorded(replay);
  });

  const sources = () => ({
    fearGreed: () => fetchFearGreed({ baseUrl: replay.baseUrl, timeoutMs: TIMEOUT, limit: 10 }),
    news: () => fetchNewsFeed({ feed: { id: 'coindesk', url: `${replay.baseUrl}${PATHS.coindesk}` }, timeoutMs: TIMEOUT, userAgent: 'test' }),
    atom: () => fetchNewsFeed({ feed: { id: 'decrypt', url: `${replay.baseUrl}${PATHS.decrypt}` }, timeoutMs: TIMEOUT, userAgent: 'test' }),
    reddit: () => fetchSubreddit({ baseUrl: replay.baseUrl, subreddit: 'CryptoCurrency', timeoutMs: TIMEOUT, userAgent: 'test-agent/1.0' }),
    cryptoPanic: () => fetchCryptoPanic({ baseUrl: `${replay.baseUrl}/api/developer/v2`, apiKey: 'secret-key', timeoutMs: TIMEOUT }),
    coinGecko: () => fetchCoinGeckoDominance({ baseUrl: replay.baseUrl, timeoutMs: TIMEOUT }),
  });

  it('reads the Fear & Greed history, newest first, as numbers and UTC day starts', async () => {
    serveRecorded(replay);
    const samples = await sources().fearGreed();
    expect(samples).toHaveLength(10);
    expect(samples[0]).toEqual({ timestamp: Date.UTC(2024, 5, 10), value: 74, classification: 'Greed' });
    expect(samples[9]).toEqual({ timestamp: Date.UTC(2024, 5, 1), value: 74, classification: 'Greed' });
    const request = replay.requests.at(-1)!;
    expect(Object.fromEntries(request.searchParams)).toEqual({ limit: '10', format: 'json' });
  });

  it('reads RSS 2.0 headlines with their dates and drops items without a title', async () => {
    serveRecorded(replay);
    const { documents, dropped } = await sources().news();
    expect(documents).toHaveLength(7);
    expect(dropped).toBe(0);
    expect(documents[0]).toEqual({
      kind: 'news',
      source: 'rss:coindesk',
      title: 'Bitcoin Surges Past $70K as ETF Inflows Return',
      url: 'https://www.coindesk.com/markets/2024/06/10/bitcoin-surges-past-70k-as-etf-inflows-return/',
      publishedAt: Date.UTC(2024, 5, 10, 13, 40),
    });
    replay.set(PATHS.coindesk, { contentType: 'application/rss+xml', body: (await import('./replay-server')).fixture('cointelegraph.xml') });
    const untitled = await sources().news();
    expect(untitled.documents).toHaveLength(4);
    expect(untitled.dropped).toBe(1);
  });

  it('reads Atom feeds too', async () => {
    serveRecorded(replay);
    const { documents } = await sources().atom();
    expect(documents.map((d) => [d.title, new Date(d.publishedAt).toISOString()])).toEqual([
      ['Dogecoin Jumps as Memecoin Traders Pile In 🚀', '2024-06-10T13:10:00.000Z'],
      ['Ethereum Staking Hits New High, Validators Celebrate', '2024-06-10T08:45:00.000Z'],
      ['Bitcoin Price Plunges Below $66,000 as Liquidations Mount', '2024-06-09T21:15:00.000Z'],
    ]);
  });

  it('reads a Reddit listing, skips the pinned post and sends a descriptive User-Agent', async () => {
    serveRecorded(replay);
    const { documents } = await sources().reddit();
    expect(documents).toHaveLength(7);
    expect(documents.every((d) => d.kind === 'social' && d.source === 'reddit:r/CryptoCurrency')).toBe(true);
    expect(documents.map((d) => d.title)).not.toContain('Daily Crypto Discussion - June 10, 2024 (GMT+0)');
    expect(documents[0]!.publishedAt).toBe(Date.UTC(2024, 5, 10, 13, 50));
    expect(replay.requests.at(-1)!.searchParams.get('limit')).toBe('100');
  });

  it('reads CryptoPanic news only, and keeps the key out of error messages', async () => {
    serveRecorded(replay);
    const { documents, dropped } = await sources().cryptoPanic();
    expect(documents.map((d) => d.title)).toEqual(['Bitcoin Surges Past $70K as ETF Inflows Return', 'XRP <span class="color-green">up 5%</span> after court ruling &amp; new partnerships']);
    expect(dropped).toBe(1);
    expect(replay.requests.at(-1)!.searchParams.get('auth_token')).toBe('secret-key');
    replay.fail(PATHS.cryptoPanic, 'not_found');
    const error = (await sources().cryptoPanic().catch((e: unknown) => e)) as SourceError;
    expect(error.message).not.toContain('secret-key');
    expect(error.message).toContain('auth_token=***');
  });

  it("reads BTC's share of market capitalisation from CoinGecko", async () => {
    serveRecorded(replay);
    expect(await sources().coinGecko()).toBe(51.23);
  });

  const faults: [Fault, string][] = [
    ['timeout', 'timeout'],
    ['rate_limit', 'rate_limit'],
    ['server_error', 'unavailable'],
    ['malformed', 'malformed'],
    ['empty', 'empty'],
    ['reset', 'network'],
    ['not_found', 'rejected'],
  ];
  const paths: [keyof ReturnType<typeof sources>, string][] = [
    ['fearGreed', PATHS.fearGreed],
    ['news', PATHS.coindesk],
    ['atom', PATHS.decrypt],
    ['reddit', PATHS.redditCryptoCurrency],
    ['cryptoPanic', PATHS.cryptoPanic],
    ['coinGecko', PATHS.coinGecko],
  ];
  for (const [name, pathname] of paths) {
    it.each(faults)(`${name}: a %s answer is a SourceError of kind %s`, async (fault, kind) => {
      serveRecorded(replay);
      replay.fail(pathname, fault);
      const started = Date.now();
      const error = await sources()[name]().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SourceError);
      expect((error as SourceError).kind).toBe(kind);
      // The timeout covers the whole answer, so a stalled body ends the request promptly.
      expect(Date.now() - started).toBeLessThan(5_000);
    });
  }

  it('valid JSON of the wrong shape is malformed, never stored as garbage', async () => {
    const wrong: [keyof ReturnType<typeof sources>, string, string][] = [
      ['fearGreed', PATHS.fearGreed, '{"data":[{"value":"140","value_classification":"Greed","timestamp":"1717977600"}]}'],
      ['fearGreed', PATHS.fearGreed, '{"data":[{"value":"abc","value_classification":"Greed","timestamp":"1717977600"}]}'],
      ['reddit', PATHS.redditCryptoCurrency, '{"kind":"Listing","data":{"children":[{"kind":"t3","data":{"title":7}}]}}'],
      ['reddit', PATHS.redditCryptoCurrency, '{"message":"Forbidden","error":403}'],
      ['coinGecko', PATHS.coinGecko, '{"data":{"market_cap_percentage":{"eth":16.7}}}'],
      ['cryptoPanic', PATHS.cryptoPanic, '{"results":[{"title":"x","published_at":"yesterday"}]}'],
    ];
    for (const [name, pathname, body] of wrong) {
      replay.set(pathname, { contentType: 'application/json', body });
      const error = await sources()[name]().catch((e: unknown) => e);
      expect(error, `${name}: ${body}`).toBeInstanceOf(SourceError);
      expect((error as SourceError).kind).toBe('malformed');
    }
  });

  it('HTML or broken XML where a feed should be is malformed; a feed without items is empty', async () => {
    replay.set(PATHS.coindesk, { contentType: 'text/html', body: '<!doctype html><html><body><h1>Just a moment...</h1></body></html>' });
    expect(((await sources().news().catch((e: unknown) => e)) as SourceError).kind).toBe('malformed');
    replay.set(PATHS.coindesk, { contentType: 'application/rss+xml', body: '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title><item><title>Bitcoin</ti' });
    expect(((await sources().news().catch((e: unknown) => e)) as SourceError).kind).toBe('malformed');
    replay.set(PATHS.coindesk, { contentType: 'application/rss+xml', body: '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>' });
    expect(((await sources().news().catch((e: unknown) => e)) as SourceError).kind).toBe('empty');
    replay.set(PATHS.redditCryptoCurrency, { contentType: 'application/json', body: '{"kind":"Listing","data":{"children":[]}}' });
    expect(((await sources().reddit().catch((e: unknown) => e)) as SourceError).kind).toBe('empty');
  });
});
