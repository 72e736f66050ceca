import type { Metadata } from 'next';
import { FeatureCatalogue } from '@/components/features/feature-catalogue';
import { MaterializationTable } from '@/components/features/materialization-table';
import { Prefetched } from '@/components/ui/prefetched';
import { queries } from '@/components/ui/queries';
import { loadFeatures } from '@/lib/dashboard/loaders';
import { FEATURE_CATALOGUE } from '@/lib/features/catalogue';

export const metadata: Metadata = { title: 'Features · Feature Foundation' };
// Live data on every request: never prerendered at build time.
export const dynamic = 'force-dynamic';

export default function FeaturesPage() {
  const ohlcv = FEATURE_CATALOGUE.filter((e) => e.family === 'ohlcv').length;
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Features</h1>
          <p className="lede">
            All {FEATURE_CATALOGUE.length} features — {ohlcv} from candles, {FEATURE_CATALOGUE.length - ohlcv} from sentiment — with their definitions,
            parameters, warm-up, units and versions, as exported in every training set&apos;s metadata (also at <code>GET /api/features</code>).
          </p>
        </div>
      </div>
      <div className="stack">
        <Prefetched queries={[{ key: queries.features.key, load: loadFeatures }]}>
          <MaterializationTable />
        </Prefetched>
        <FeatureCatalogue entries={FEATURE_CATALOGUE} />
      </div>
    </>
  );
}
