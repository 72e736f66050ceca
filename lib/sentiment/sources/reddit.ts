import { z } from 'zod';
import { SourceError } from '@/lib/market/source';
import type { RawDocument } from '../documents';
import { fetchJson } from '../http';

/**
 * New posts of a crypto community from Reddit's public JSON listing (keyless). Only titles are
 * scored: they are what most readers see, and they are short text of the kind VADER was made for.
 * Pinned posts are skipped: they stay at the top for days and say little about the hour.
 */
export const redditSourceId = (subreddit: string) => `reddit:r/${subreddit}`;

const listing = z.object({
  kind: z.literal('Listing'),
  data: z.object({
    children: z.array(
      z.object({
        kind: z.string(),
        data: z.object({
          title: z.string(),
          created_utc: z.number().positive(),
          permalink: z.string().optional(),
          stickied: z.boolean().optional(),
        }),
      }),
    ),
  }),
});

export interface RedditRequest {
  baseUrl: string;
  subreddit: string;
  timeoutMs: number;
  userAgent: string;
}

export interface FetchedDocuments {
  documents: RawDocument[];
  /** Items of the answer that were not usable (no title, or not a post). */
  dropped: number;
}

export async function fetchSubreddit(request: RedditRequest): Promise<FetchedDocuments> {
  const source = redditSourceId(request.subreddit);
  const url = `${request.baseUrl}/r/${encodeURIComponent(request.subreddit)}/new.json?limit=100&raw_json=1`;
  // Reddit refuses requests without a descriptive User-Agent.
  const body = await fetchJson({ sourceId: source, url, timeoutMs: request.timeoutMs, headers: { 'user-agent': request.userAgent } }, listing);
  const posts = body.data.children;
  if (!posts.length) throw new SourceError('empty', `${source}: the listing has no posts`);
  const documents: RawDocument[] = [];
  let dropped = 0;
  for (const post of posts) {
    if (post.data.stickied) continue;
    if (post.kind !== 't3' || !post.data.title.trim()) {
      dropped += 1;
      continue;
    }
    documents.push({
      kind: 'social',
      source,
      title: post.data.title,
      url: post.data.permalink ? `https://www.reddit.com${post.data.permalink}` : null,
      publishedAt: Math.round(post.data.created_utc * 1000),
    });
  }
  return { documents, dropped };
}
