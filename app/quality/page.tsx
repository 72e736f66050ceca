import type { Metadata } from 'next';
import { QualityReport } from '@/components/quality/quality-report';
import { param, type SearchParams } from '@/components/ui/search-params';

export const metadata: Metadata = { title: 'Data quality · Feature Foundation' };

export default async function QualityPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Data quality</h1>
          <p className="lede">How often sources fell back to simulated data, what is missing or late, what validation rejected, and what retention will delete.</p>
        </div>
      </div>
      <QualityReport initial={{ days: param(search.days) }} />
    </>
  );
}
