import type { Metadata } from 'next';
import { SentimentExplorer } from '@/components/sentiment/sentiment-explorer';
import { Prefetched } from '@/components/ui/prefetched';
import { queries } from '@/components/ui/queries';
import { param, type SearchParams } from '@/components/ui/search-params';
import { loadSentiment } from '@/lib/dashboard/loaders';
import { rangeKeyOr } from '@/lib/market/range';
import { sentimentQuery } from '@/lib/zod/dashboard';

export const metadata: Metadata = { title: 'Sentiment · Feature Foundation' };

export const dynamic = 'force-dynamic';

export default async function SentimentPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  const symbol = param(search.symbol) ?? 'BTC/USDT';
  const range = rangeKeyOr(param(search.range), '90d');
  const request = sentimentQuery.safeParse({ symbol, range });
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Sentiment</h1>
          <p className="lede">Fear &amp; Greed, news and social scores per coin, and which inputs were real or simulated.</p>
        </div>
      </div>
      <Prefetched queries={request.success ? [{ key: queries.sentiment({ symbol, range }).key, load: () => loadSentiment(request.data) }] : []}>
        <SentimentExplorer initial={{ symbol: param(search.symbol), range: param(search.range) }} />
      </Prefetched>
    </>
  );
}
