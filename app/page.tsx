import { MaterializationTable } from '@/components/features/materialization-table';
import { HealthCard } from '@/components/health-card';
import { OverviewBoard } from '@/components/overview/overview-board';
import { TableCounts } from '@/components/table-counts';
import { Prefetched } from '@/components/ui/prefetched';
import { queries } from '@/components/ui/queries';
import { loadFeatures, loadOverview, loadTables } from '@/lib/dashboard/loaders';
import { getHealth } from '@/lib/health/get-health';

// Live data on every request: never prerendered at build time.
export const dynamic = 'force-dynamic';

export default function OverviewPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="lede">Candles, sentiment, TA-Lib-exact features and realized-outcome labels, ready for training.</p>
        </div>
      </div>
      <Prefetched
        queries={[
          { key: queries.overview.key, load: loadOverview },
          { key: queries.health.key, load: getHealth },
          { key: queries.tables.key, load: async () => (await loadTables()).tables },
          { key: queries.features.key, load: loadFeatures },
        ]}
      >
        <div className="stack">
          <OverviewBoard />
          <MaterializationTable />
          <div className="grid">
            <HealthCard />
            <TableCounts />
          </div>
        </div>
      </Prefetched>
    </>
  );
}
