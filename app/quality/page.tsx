import type { Metadata } from 'next';
import { QualityReport } from '@/components/quality/quality-report';
import { QUARANTINE_PAGE_SIZE, windowDays } from '@/components/quality/window';
import { Prefetched } from '@/components/ui/prefetched';
import { queries } from '@/components/ui/queries';
import { param, type SearchParams } from '@/components/ui/search-params';
import { loadQuality, loadQuarantine } from '@/lib/dashboard/loaders';

export const metadata: Metadata = { title: 'Data quality · Feature Foundation' };

export const dynamic = 'force-dynamic';

export default async function QualityPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  const days = windowDays(param(search.days));
  const firstPage = { page: 1, pageSize: QUARANTINE_PAGE_SIZE, rule: '' };
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
          { key: queries.quality(days).key, load: () => loadQuality({ days: Number(days) }) },
          { key: queries.quarantine(firstPage).key, load: () => loadQuarantine({ page: 1, pageSize: QUARANTINE_PAGE_SIZE }) },
        ]}
      >
        <QualityReport initial={{ days: param(search.days) }} />
      </Prefetched>
    </>
  );
}
