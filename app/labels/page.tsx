import type { Metadata } from 'next';
import { LabelExplorer } from '@/components/labels/label-explorer';
import { TrainingSetDownload } from '@/components/labels/training-set-download';
import { config } from '@/lib/config/env';
import { param, type SearchParams } from '@/components/ui/search-params';

export const metadata: Metadata = { title: 'Labels · Feature Foundation' };
export const dynamic = 'force-dynamic';

export default async function LabelsPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  const initial = { symbol: param(search.symbol), labelType: param(search.labelType), horizon: param(search.horizon), range: param(search.range) };
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Labels</h1>
          <p className="lede">What the labels say per day, how balanced the classes are, and what actually happened after each one.</p>
        </div>
      </div>
      <LabelExplorer initial={initial} />
      <TrainingSetDownload symbol={initial.symbol ?? config().TRACKED_SYMBOLS[0]!} symbols={config().TRACKED_SYMBOLS} timeframes={config().TRACKED_TIMEFRAMES} />
    </>
  );
}
