import type { Metadata } from 'next';
import { ModelsDashboard } from '@/components/models/models-dashboard';
import { param, type SearchParams } from '@/components/ui/search-params';
import { config } from '@/lib/config/env';
import { getPrisma } from '@/lib/db/prisma';
import { listModels } from '@/lib/models/registry';

export const metadata: Metadata = { title: 'Models · Feature Foundation' };
export const dynamic = 'force-dynamic';

export default async function ModelsPage({ searchParams }: { searchParams: SearchParams }) {
  const search = await searchParams;
  // The versions table is in the first paint; the chosen version's details load after.
  const models = await listModels(getPrisma());
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Models</h1>
          <p className="lede">Registered model versions scored on every new candle: walk-forward metrics beside the majority baseline, predictions on the price, realized accuracy and calibration, and feature drift.</p>
        </div>
      </div>
      <ModelsDashboard initialModels={models} symbols={config().TRACKED_SYMBOLS} initial={{ model: param(search.model), symbol: param(search.symbol) }} />
    </>
  );
}
