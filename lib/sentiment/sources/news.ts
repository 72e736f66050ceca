import Parser from 'rss-parser';
import { z } from 'zod';
import { SourceError } from '@/lib/market/source';
import type { NewsFeed } from '../config';
import type { RawDocument } from '../documents';
import { fetchText } from '../http';
import type { FetchedDocuments } from './reddit';

/**
 * Headlines from an RSS 2.0 or Atom feed, parsed with rss-parser. The feed is fetched here (same
 * timeout and error mapping as every source) and only parsed by the library. An item needs a
 * title and a publication date to be a headline; items without them are dropped and counted.
 */
export const newsSourceId = (feed: NewsFeed) => `rss:${feed.id}`;

const item = z.object({
  title: z.string().trim().min(1),
  link: z.string().optional(),
  date: z.number().finite(),
});

const parser = new Parser();

export interface NewsRequest {
  feed: NewsFeed;
  timeoutMs: number;
  userAgent: string;
}

export async function fetchNewsFeed(request: NewsRequest): Promise<FetchedDocuments> {
  const source = newsSourceId(request.feed);
  const xml = await fetchText({
    sourceId: source,
    url: request.feed.url,
    timeoutMs: request.timeoutMs,
    headers: { 'user-agent': request.userAgent, accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5' },
  });
  let feed: Parser.Output<Record<string, unknown>>;
  try {
    feed = await parser.parseString(xml);
  } catch (error) {
    throw new SourceError('malformed', `${source}: not an RSS or Atom feed (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
  if (!feed.items?.length) throw new SourceError('empty', `${source}: the feed has no items`);
  const documents: RawDocument[] = [];
  let dropped = 0;
  for (const raw of feed.items) {
    const parsed = item.safeParse({ title: raw.title, link: raw.link, date: Date.parse(raw.isoDate ?? raw.pubDate ?? '') });
    if (!parsed.success) {
      dropped += 1;
      continue;
    }
    documents.push({ kind: 'news', source, title: parsed.data.title, url: parsed.data.link ?? null, publishedAt: parsed.data.date });
  }
  if (!documents.length) throw new SourceError('malformed', `${source}: none of the ${feed.items.length} items has a title and a date`);
  return { documents, dropped };
}
