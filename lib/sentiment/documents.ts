import { createHash } from 'node:crypto';
import type { Coin } from '@/lib/market/coin';
import { matchCoins } from './coins';
import { SENTIMENT_MODEL, scoreText } from './score';

export type DocumentKind = 'news' | 'social';

/** A headline or post title as a source delivered it, already validated. */
export interface RawDocument {
  kind: DocumentKind;
  /** The feed or community that delivered it, e.g. 'coindesk', 'reddit:r/Bitcoin', 'cryptopanic'. */
  source: string;
  title: string;
  url: string | null;
  publishedAt: number;
}

/** A document with its VADER scores and coin mentions: one row of sentiment_documents. */
export interface ScoredDocument extends RawDocument {
  titleHash: string;
  compound: number;
  positive: number;
  negative: number;
  neutral: number;
  /** Mention counts by ticker, e.g. { BTC: 2 }. */
  mentions: Record<string, number>;
  model: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

/** Titles arrive with markup now and then (CryptoPanic wraps numbers in spans; feeds escape twice). */
export function plainTitle(title: string): string {
  return title
    .replace(/<[^>]*>/g, '')
    .replace(/&(#?\w+);/g, (entity, name: string) => ENTITIES[name] ?? (name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : entity))
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * What makes two titles the same headline: case, punctuation, quotes, markup and spacing do not
 * matter ("Bitcoin Hits $70K!" and "bitcoin hits $70k" are one headline).
 */
export function normalizeTitle(title: string): string {
  return plainTitle(title)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}$%]+/gu, ' ')
    .trim();
}

export function titleHash(title: string): string {
  return createHash('sha256').update(normalizeTitle(title)).digest('hex');
}

export function scoreDocument(doc: RawDocument, coins?: readonly Coin[]): ScoredDocument {
  const title = plainTitle(doc.title);
  const scores = scoreText(title);
  return {
    ...doc,
    title,
    titleHash: titleHash(title),
    ...scores,
    mentions: Object.fromEntries(matchCoins(title, coins)),
    model: SENTIMENT_MODEL,
  };
}

/**
 * One document per (kind, normalized title), the earliest published kept (it is when the news
 * broke); ties keep the first delivered. Titles that normalize to nothing are dropped.
 */
export function dedupeDocuments<T extends { kind: DocumentKind; titleHash: string; publishedAt: number; title: string }>(docs: readonly T[]): T[] {
  const kept = new Map<string, T>();
  for (const doc of docs) {
    if (!normalizeTitle(doc.title)) continue;
    const key = `${doc.kind}|${doc.titleHash}`;
    const existing = kept.get(key);
    if (!existing || doc.publishedAt < existing.publishedAt) kept.set(key, doc);
  }
  return [...kept.values()];
}
