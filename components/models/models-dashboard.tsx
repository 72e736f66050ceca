'use client';

import Link from 'next/link';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ModelRecord } from '@/lib/models/contract';
import type { modelDetail } from '@/lib/models/queries';
import type { WalkForwardResult } from '@/lib/models/walk-forward';
import { fetchJson, query } from '../ui/api';
import { SelectField } from '../ui/controls';
import { EmptyState, ErrorState, Skeleton } from '../ui/states';
import { useUrlState } from '../ui/use-url-state';
import { DriftTable } from './drift-table';
import { EvaluationCard } from './evaluation-card';
import { PerformanceCard } from './performance-card';
import { PredictionsChart } from './predictions-chart';
import { VersionsTable } from './versions-table';

type Detail = Awaited<ReturnType<typeof modelDetail>>;
type Evaluation = WalkForwardResult & { symbol: string; from: string; to: string; evaluatedAt: string };

function ModelDetail({ modelId, symbol, symbols, onSymbol }: { modelId: string; symbol?: string; symbols: readonly string[]; onSymbol: (s: string) => void }) {
  const detail = useQuery({
    queryKey: ['model', modelId, symbol],
    queryFn: ({ signal }) => fetchJson<Detail>(`/api/models/${encodeURIComponent(modelId)}?${query({ symbol })}`, signal),
    placeholderData: keepPreviousData,
  });
  if (detail.isPending) return <Skeleton height={480} label="Loading the model" />;
  if (detail.isError) return <ErrorState error={detail.error} onRetry={() => detail.refetch()} />;
  const { model, performance, drift } = detail.data;
  const evaluation = model.evaluation as Evaluation | null;
  const end = performance.rolling.at(-1)?.timestamp ?? Date.parse(drift.recent.to);
  return (
    <div className="stack" data-testid="model-detail" data-model={model.modelId}>
      <section className="card">
        <div className="card-head">
          <h2>{model.modelId}</h2>
          <span className="hint">
            {model.kind} · {model.labelType} {model.horizon} on {model.timeframe} candles · classes {model.classNames.join(', ')} · trained {model.trainingStart?.slice(0, 10) ?? '—'} – {model.trainingEnd?.slice(0, 10) ?? '—'}
          </span>
        </div>
        <p className="hint" style={{ margin: '0 0 8px' }}>Features, in the input&apos;s order: {model.features.join(', ')}</p>
        <div className="toolbar">
          <SelectField label="Symbol" value={detail.data.symbol} options={symbols} onChange={onSymbol} testId="model-symbol" />
        </div>
        <PredictionsChart modelId={model.modelId} symbol={detail.data.symbol} end={end} days={30} />
      </section>
      <EvaluationCard evaluation={evaluation} />
      <PerformanceCard performance={performance} baselineAccuracy={evaluation?.overall.baseline.accuracy} />
      <DriftTable drift={drift} />
    </div>
  );
}

/** The /models page: versions and their status, then the chosen version's evaluation, predictions, performance and drift. */
export function ModelsDashboard({ initialModels, symbols, initial }: { initialModels: ModelRecord[]; symbols: readonly string[]; initial: { model?: string; symbol?: string } }) {
  const [state, setState] = useUrlState(initial);
  const models = useQuery({
    queryKey: ['models'],
    queryFn: ({ signal }) => fetchJson<{ models: ModelRecord[] }>('/api/models', signal),
    initialData: { models: initialModels },
    staleTime: 30_000,
  });
  const list = models.data.models;
  if (list.length === 0) {
    return (
      <EmptyState title="No model registered yet" testId="no-models">
        <p style={{ margin: 0 }}>
          Register an ONNX model with <code>npm run features -- models register --file model.onnx …</code> or upload one on the{' '}
          <Link href="/admin/models">admin page</Link>; train a baseline with <code>models train-baseline</code>.
        </p>
      </EmptyState>
    );
  }
  const selected = list.find((m) => m.modelId === state.model) ?? list.find((m) => m.status === 'active') ?? list[0];
  return (
    <div className="stack">
      <section className="card">
        <div className="card-head">
          <h2>Versions</h2>
          <span className="hint">activate, retire and roll back on the <Link href="/admin/models">admin page</Link></span>
        </div>
        <VersionsTable models={list} selected={selected.modelId} onSelect={(model) => setState({ model })} />
      </section>
      <ModelDetail modelId={selected.modelId} symbol={state.symbol} symbols={selected.symbols.length ? selected.symbols : symbols} onSymbol={(symbol) => setState({ symbol })} />
    </div>
  );
}
