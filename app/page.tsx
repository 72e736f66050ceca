import { HealthCard } from '@/components/health-card';
import { TableCounts } from '@/components/table-counts';

export default function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <p className="lede">Candles, sentiment, TA-Lib-exact features and realized-outcome labels, ready for training.</p>
      <div className="grid">
        <HealthCard />
        <TableCounts />
      </div>
    </>
  );
}
