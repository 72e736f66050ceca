import { z } from 'zod';
import { SourceError } from '@/lib/market/source';
import type { RawDocument } from '../documents';
import { fetchJson } from '../http';
import type { FetchedDocuments } from './reddit';

/**
 * CryptoPanic's news aggregator, used only when CRYPTOPANIC_API_KEY is set. Its headlines count as
 * news and are deduplicated with the RSS headlines (it republishes many of them). Coins come from
 * the title, as for every other source, so all documents are matched the same way.
 */
export const CRYPTOPANIC_SOURCE = 'cryptopanic';

const payload = z.object({
  results: z.array(
    z.object({
      title: z.string(),
      published_at: z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'not a date'),
      url: z.string().nullable().optional(),
      kind: z.string().optional(),
    }),
  ),
});

export interface CryptoPanicRequest {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  userAgent?: string;
}

export async function fetchCryptoPanic(request: CryptoPanicRequest): Promise<FetchedDocuments> {
  const url = `${request.baseUrl}/posts/?auth_token=${encodeURIComponent(request.apiKey)}&public=true&kind=news`;
  const body = await fetchJson({ sourceId: CRYPTOPANIC_SOURCE, url, timeoutMs: request.timeoutMs, headers: request.userAgent ? { 'user-agent': request.userAgent } : undefined }, payload);
  if (!body.results.length) throw new SourceError('empty', `${CRYPTOPANIC_SOURCE}: no posts in the answer`);
  const documents: RawDocument[] = [];
  let dropped = 0;
  for (const post of body.results) {
    if (!post.title.trim() || (post.kind !== undefined && post.kind !== 'news')) {
      dropped += 1;
      continue;
    }
    documents.push({ kind: 'news', source: CRYPTOPANIC_SOURCE, title: post.title, url: post.url ?? null, publishedAt: Date.parse(post.published_at) });
  }
  return { documents, dropped };
}
