import type { Metadata } from 'next';
import { LabelExplorer } from '@/components/labels/label-explorer';
import { TrainingSetDownload } from '@/components/labels/training-set-download';
import { config } from '@/lib/config/env';
import { Prefetched } from '@/components/ui/prefetched';
import { queries } from '@/components/ui/queries';
import { param, type SearchParams } from '@/components/ui/search-params';
import { loadLabels } from '@/lib/dashboard/loaders';
import { rangeKeyOr } from '@/lib/market/range';
import { labelQuery } from '@/lib/zod/dashboard';

export const metadata: Metadata = { title: 'Labels · Feature Foundation' };
export const dynamic = 'force-dynamic';

export default async function LabelsPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  const initial = { symbol: param(search.symbol), labelType: param(search.labelType), horizon: param(search.horizon), range: param(search.range) };
  const shown = { symbol: initial.symbol ?? 'BTC/USDT', labelType: initial.labelType, horizon: initial.horizon, range: rangeKeyOr(initial.range, '90d') };
  const request = labelQuery.safeParse(shown);
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Labels</h1>
          <p className="lede">What the labels say per day, how balanced the classes are, and what actually happened after each one.</p>
        </div>
      </div>
      <Prefetched queries={request.success ? [{ key: queries.labels(shown).key, load: () => loadLabels(request.data) }] : []}>
        <LabelExplorer initial={initial} />
      </Prefetched>
      <TrainingSetDownload symbol={initial.symbol ?? config().TRACKED_SYMBOLS[0]!} symbols={config().TRACKED_SYMBOLS} timeframes={config().TRACKED_TIMEFRAMES} />
    </>
  );
}
