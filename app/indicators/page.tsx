import type { Metadata } from 'next';
import { IndicatorExplorer } from '@/components/indicators/indicator-explorer';
import { param, type SearchParams } from '@/components/ui/search-params';

export const metadata: Metadata = { title: 'Indicators · Feature Foundation' };

export default async function IndicatorsPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  const initial = { symbol: param(search.symbol), timeframe: param(search.timeframe), range: param(search.range), end: param(search.end) };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Indicators</h1>
          <p className="lede">Candles and the stored TA-Lib features, on one time axis. Long ranges read the hourly and daily rollups.</p>
        </div>
      </div>
      <IndicatorExplorer initial={initial} />
    </>
  );
}
