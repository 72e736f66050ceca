import type { Metadata } from 'next';
import { IndicatorExplorer } from '@/components/indicators/indicator-explorer';
import { chooseChart, SERVER_POINTS } from '@/components/indicators/selection';
import { Prefetched, type ServerQuery } from '@/components/ui/prefetched';
import { queries } from '@/components/ui/queries';
import { param, type SearchParams } from '@/components/ui/search-params';
import { loadIndicators, loadSeries } from '@/lib/dashboard/loaders';
import { indicatorQuery } from '@/lib/zod/dashboard';

export const metadata: Metadata = { title: 'Indicators · Feature Foundation' };
export const dynamic = 'force-dynamic';

/** The series list and the chart it leads to, both read here: the browser draws the chart without asking for either. */
async function firstPaint(initial: Record<string, string | undefined>): Promise<ServerQuery[]> {
  const listing = await loadSeries().catch(() => null);
  if (!listing) return [];
  const { symbol, timeframe, range, end } = chooseChart(listing.series, initial);
  const served: ServerQuery[] = [{ key: queries.series.key, load: async () => listing }];
  const chart = indicatorQuery.safeParse({ symbol, timeframe, range, end, points: SERVER_POINTS });
  // A bad parameter is left to the browser, which shows the API's 400 as it always did.
  if (symbol && chart.success) {
    served.push({ key: queries.indicators({ symbol, timeframe, range, end, points: SERVER_POINTS }).key, load: () => loadIndicators(chart.data) });
  }
  return served;
}

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
      <Prefetched queries={await firstPaint(initial)}>
        <IndicatorExplorer initial={initial} />
      </Prefetched>
    </>
  );
}
