import { HealthCard } from '@/components/health-card';
import { OverviewBoard } from '@/components/overview/overview-board';
import { TableCounts } from '@/components/table-counts';

export default function OverviewPage() {
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Overview</h1>
          <p className="lede">Candles, sentiment, TA-Lib-exact features and realized-outcome labels, ready for training.</p>
        </div>
      </div>
      <div className="stack">
        <OverviewBoard />
        <div className="grid">
          <HealthCard />
          <TableCounts />
        </div>
      </div>
    </>
  );
}
