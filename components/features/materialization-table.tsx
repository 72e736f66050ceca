'use client';

import { useQuery } from '@tanstack/react-query';
import type { Materialization } from '@/lib/dashboard/overview';
import { fetchJson } from '../ui/api';
import { queries } from '../ui/queries';
import { formatDateTime } from '../ui/format';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';

interface SeriesStatus {
  symbol: string;
  timeframe: string;
  materialization: Materialization;
}

const when = (ms: number | null) => (ms === null ? '—' : `${formatDateTime(ms)}`);

/**
 * Per series, up to when a training set can be cut: newest candle with current features, newest
 * label per spec (and when it became known), newest sentiment hour of the symbol.
 */
export function MaterializationTable() {
  const { data, isPending, isError, error, refetch } = useQuery({
    queryKey: queries.features.key,
    queryFn: ({ signal }) => fetchJson<{ series: SeriesStatus[] }>(queries.features.url, signal),
    refetchInterval: 60_000,
  });
  const specs = data ? [...new Map(data.series.flatMap((s) => s.materialization.labels.map((l) => [`${l.type} ${l.horizon}`, l]))).keys()] : [];

  return (
    <section className="card" aria-labelledby="materialization-title">
      <div className="card-head">
        <h2 id="materialization-title">Materialized up to</h2>
        <span className="hint">open time of the newest row, UTC; a label is known one horizon and one candle later</span>
      </div>
      {isPending ? (
        <Skeleton height={160} label="Loading materialization status" />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => void refetch()} />
      ) : !data.series.length ? (
        <EmptyState title="No series yet">Import candles or start a collection to materialize features.</EmptyState>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="materialization">
            <thead>
              <tr>
                <th>Series</th><th>Features</th>
                {specs.map((spec) => <th key={spec}>{spec}</th>)}
                <th>Sentiment</th>
              </tr>
            </thead>
            <tbody>
              {data.series.map((s) => (
                <tr key={`${s.symbol} ${s.timeframe}`} data-testid={`materialization-${s.symbol}-${s.timeframe}`}>
                  <td><b>{s.symbol}</b> {s.timeframe}</td>
                  <td data-testid="features-through">{when(s.materialization.features.through)}</td>
                  {specs.map((spec) => {
                    const label = s.materialization.labels.find((l) => `${l.type} ${l.horizon}` === spec);
                    return <td key={spec} title={label?.knownAt ? `known at ${formatDateTime(label.knownAt)} UTC` : undefined}>{when(label?.through ?? null)}</td>;
                  })}
                  <td data-testid="sentiment-through">{when(s.materialization.sentiment.through)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
