import type { Metadata } from 'next';
import { QualityReport } from '@/components/quality/quality-report';
import { GAP_PAGE_SIZE, QUARANTINE_PAGE_SIZE, windowDays } from '@/components/quality/window';
import { Prefetched, type ServerQuery } from '@/components/ui/prefetched';
import { queries } from '@/components/ui/queries';
import { param, type SearchParams } from '@/components/ui/search-params';
import type { Timeframe } from '@/lib/market/timeframe';
import { loadGaps, loadQuality, loadQuarantine } from '@/lib/dashboard/loaders';

export const metadata: Metadata = { title: 'Data quality · Feature Foundation' };

export const dynamic = 'force-dynamic';

export default async function QualityPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  const days = windowDays(param(search.days));
  const firstPage = { page: 1, pageSize: QUARANTINE_PAGE_SIZE, rule: '' };
  const quality = loadQuality({ days: Number(days) });
  // The gap history opens on the report's first series: load its first page too, once the report names it.
  const first = await quality.then((report) => report.series[0], () => undefined);
  const gapsQuery = first && { symbol: first.symbol, timeframe: first.timeframe as Timeframe, page: 1, pageSize: GAP_PAGE_SIZE };
  const gaps: ServerQuery[] = gapsQuery ? [{ key: queries.gaps(gapsQuery).key, load: () => loadGaps(gapsQuery) }] : [];
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Data quality</h1>
          <p className="lede">How often sources fell back to simulated data, what is missing or late, what validation rejected, and what retention will delete.</p>
        </div>
      </div>
      <Prefetched
        queries={[
          { key: queries.quality(days).key, load: () => quality },
          { key: queries.quarantine(firstPage).key, load: () => loadQuarantine({ page: 1, pageSize: QUARANTINE_PAGE_SIZE }) },
          ...gaps,
        ]}
      >
        <QualityReport initial={{ days: param(search.days) }} />
      </Prefetched>
    </>
  );
}
