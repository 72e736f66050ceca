'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { PredictionPoint } from '@/lib/models/queries';
import { TimeSeriesChart } from '../charts/time-series-chart';
import { fetchJson, query } from '../ui/api';
import { formatPercent, formatPrice } from '../ui/format';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';
import { CLASS_COLORS } from './format';

interface PredictionsResponse {
  classNames: string[];
  points: PredictionPoint[];
}

/** The close with the model's class probabilities underneath, on one time axis. */
export function PredictionsChart({ modelId, symbol, end, days }: { modelId: string; symbol: string; end: number; days: number }) {
  const from = new Date(end - days * 86_400_000).toISOString();
  const to = new Date(end + 1).toISOString();
  const predictions = useQuery({
    queryKey: ['predictions', modelId, symbol, from, to],
    queryFn: ({ signal }) => fetchJson<PredictionsResponse>(`/api/predictions?${query({ model: modelId, symbol, from, to })}`, signal),
    placeholderData: keepPreviousData,
  });
  if (predictions.isPending) return <Skeleton height={360} label="Loading predictions" />;
  if (predictions.isError) return <ErrorState error={predictions.error} onRetry={() => predictions.refetch()} />;
  const { classNames, points } = predictions.data;
  if (points.length === 0) {
    return (
      <EmptyState title="No predictions stored for this series yet" testId="no-predictions">
        <p style={{ margin: 0 }}>Activate the model (the worker scores new candles) or fill history with <code>npm run features -- models predict</code>.</p>
      </EmptyState>
    );
  }
  const rows = points.map((p) => ({
    t: p.t,
    close: p.close,
    ...Object.fromEntries(classNames.map((c) => [c, p.probabilities[c] ?? null])),
  }));
  return (
    <div data-testid="predictions-chart">
      <div className="chart-title">{symbol} close · {points.length} predictions</div>
      <TimeSeriesChart rows={rows} series={[{ key: 'close', name: 'close', color: 'var(--text)' }]} widthMs={3_600_000} height={200} syncId="model" format={(v) => formatPrice(v)} />
      <div className="chart-title">Predicted class probabilities</div>
      <TimeSeriesChart
        rows={rows}
        series={classNames.map((c, i) => ({ key: c, name: c, color: CLASS_COLORS[i % CLASS_COLORS.length], kind: 'area' as const, stack: 'p' }))}
        widthMs={3_600_000}
        height={160}
        syncId="model"
        domain={[0, 1]}
        yTicks={[0, 0.5, 1]}
        format={(v) => formatPercent(v, 0)}
      />
    </div>
  );
}
