import type { Metadata } from 'next';
import { SentimentExplorer } from '@/components/sentiment/sentiment-explorer';
import { param, type SearchParams } from '@/components/ui/search-params';

export const metadata: Metadata = { title: 'Sentiment · Feature Foundation' };

export default async function SentimentPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Sentiment</h1>
          <p className="lede">Fear &amp; Greed, news and social scores per coin, and which inputs were real or simulated.</p>
        </div>
      </div>
      <SentimentExplorer initial={{ symbol: param(search.symbol), range: param(search.range) }} />
    </>
  );
}
