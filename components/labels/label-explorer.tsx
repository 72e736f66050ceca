'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { LabelDistribution } from '@/lib/dashboard/labels';
import { TimeSeriesChart } from '../charts/time-series-chart';
import { fetchJson } from '../ui/api';
import { queries } from '../ui/queries';
import { rangeKeyOr } from '@/lib/market/range';
import { RANGE_OPTIONS, Segmented, SelectField } from '../ui/controls';
import { formatCount, formatPercent } from '../ui/format';
import { EmptyState, ErrorState, Skeleton, StartCollection } from '../ui/states';
import { useUrlState } from '../ui/use-url-state';
import { labelColors } from './label-colors';
import { ReturnBoxes } from './return-boxes';
import { DAY_MS } from '@/lib/market/time';


function ClassBalance({ data, colors }: { data: LabelDistribution; colors: Record<string, string> }) {
  return (
    <section className="card" data-testid="class-balance">
      <div className="card-head">
        <h2>Class balance</h2>
        <span className="hint">all labels in the window</span>
      </div>
      <div className="balance" role="img" aria-label="Class balance">
        {data.classes.map((c) => (
          <div key={c.value} style={{ width: `${c.share * 100}%`, background: colors[c.value] }} title={`${c.value}: ${formatPercent(c.share)}`}>
            {c.share > 0.08 ? `${c.value} ${formatPercent(c.share, 0)}` : ''}
          </div>
        ))}
      </div>
      <div className="table-wrap" style={{ marginTop: 10 }}>
        <table className="data">
          <thead>
            <tr>
              <th>Label</th>
              <th className="num">Count</th>
              <th className="num">Share</th>
              <th className="num">Mean confidence</th>
            </tr>
          </thead>
          <tbody>
            {data.classes.map((c) => (
              <tr key={c.value}>
                <td>
                  <span className="swatch" style={{ background: colors[c.value], height: 10 }} />
                  {c.value}
                </td>
                <td className="num">{formatCount(c.count)}</td>
                <td className="num">{formatPercent(c.share)}</td>
                <td className="num">{c.avgConfidence === null ? '—' : c.avgConfidence.toFixed(2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function LabelExplorer({ initial }: { initial: { symbol?: string; labelType?: string; horizon?: string; range?: string; [key: string]: string | undefined } }) {
  const [params, setParams] = useUrlState(initial);
  const range = rangeKeyOr(params.range, '90d');
  const symbol = params.symbol ?? 'BTC/USDT';
  const request = queries.labels({ symbol, labelType: params.labelType, horizon: params.horizon, range });
  const { data, isPending, isError, error, refetch, isFetching } = useQuery({
    queryKey: request.key,
    queryFn: ({ signal }) => fetchJson<LabelDistribution>(request.url, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });

  const symbols = data ? (data.symbols.includes(symbol) ? data.symbols : [symbol, ...data.symbols]) : [symbol];
  const types = [...new Set(data?.kinds.map((k) => k.labelType) ?? [])];
  const horizons = data?.kinds.filter((k) => k.labelType === data.labelType).map((k) => k.horizon) ?? [];
  const toolbar = (
    <>
      <div className="toolbar">
        <SelectField label="Symbol" value={symbol} options={symbols} onChange={(value) => setParams({ symbol: value, labelType: undefined, horizon: undefined })} testId="symbol-select" />
        {horizons.length > 0 && data?.horizon && <SelectField label="Horizon" value={data.horizon} options={horizons} onChange={(value) => setParams({ horizon: value })} testId="horizon-select" />}
        <Segmented label="Range" options={RANGE_OPTIONS} value={range} onChange={(value) => setParams({ range: value })} />
        {isFetching && <span className="spinner" aria-label="Updating" />}
      </div>
      {types.length > 0 && (
        <div className="tabs" role="tablist" aria-label="Label type">
          {types.map((type) => (
            <button key={type} type="button" role="tab" aria-selected={type === data?.labelType} onClick={() => setParams({ labelType: type, horizon: undefined })}>
              {type.replaceAll('_', ' ')}
            </button>
          ))}
        </div>
      )}
    </>
  );
  if (isPending) return <>{toolbar}<Skeleton height={560} label="Loading labels" /></>;
  if (isError) return <>{toolbar}<ErrorState error={error} onRetry={() => refetch()} /></>;
  if (!data.days.length) {
    return (
      <>
        {toolbar}
        <EmptyState title={data.symbols.length ? `No labels for ${symbol}${data.kinds.length ? ' in this window' : ' yet'}` : 'No labels stored yet'}>
          {data.symbols.length ? (
            <p style={{ margin: 0 }}>
              Labels are stored for {data.symbols.join(', ')}. Labels follow the candles: collect {symbol} on the <a href="/admin">admin page</a>, then generate labels.
            </p>
          ) : (
            <StartCollection what="a collection (labels are generated from the candles)" />
          )}
        </EmptyState>
      </>
    );
  }

  const colors = labelColors(data.values);
  const rows = data.days.map((d) => ({ t: d.t, ...d.counts }));
  const total = data.classes.reduce((sum, c) => sum + c.count, 0);
  const simulated = data.days.reduce((sum, d) => sum + d.simulated, 0);
  const majority = [...data.classes].sort((a, b) => b.share - a.share)[0]!;
  return (
    <>
      {toolbar}
      {data.description && <p className="hint" style={{ marginTop: -4 }} data-testid="label-description">{data.description}</p>}
      <div className="stats">
        <div className="stat">
          <div className="stat-label">Labels in window</div>
          <div className="stat-value">{formatCount(total)}</div>
          <div className="stat-sub">{data.days.length} days · horizon {data.horizon}</div>
        </div>
        <div className="stat">
          <div className="stat-label">Majority class</div>
          <div className="stat-value">{majority.value}</div>
          <div className="stat-sub">{formatPercent(majority.share)} of labels; {data.values.length} classes</div>
        </div>
        <div className="stat">
          <div className="stat-label">Mean confidence</div>
          <div className="stat-value">
            {(() => {
              const known = data.classes.filter((c) => c.avgConfidence !== null);
              const n = known.reduce((sum, c) => sum + c.count, 0);
              return n ? (known.reduce((sum, c) => sum + c.avgConfidence! * c.count, 0) / n).toFixed(2) : '—';
            })()}
          </div>
          <div className="stat-sub">0 = at the threshold, 1 = far beyond</div>
        </div>
        <div className="stat">
          <div className="stat-label">From simulated candles</div>
          <div className={`stat-value ${simulated ? 'status-warn' : ''}`}>{formatPercent(total ? simulated / total : null, 2)}</div>
          <div className="stat-sub">{formatCount(simulated)} labels</div>
        </div>
      </div>
      <div className="stack">
        <section className="card chart-card">
          <div className="chart-head">
            <span className="chart-title">Label values per day</span>
            <span className="legend-row">
              {data.values.map((value) => (
                <span key={value}>
                  <span className="swatch" style={{ background: colors[value], height: 10 }} />
                  {value}
                </span>
              ))}
            </span>
          </div>
          <TimeSeriesChart
            testId="chart-label-days"
            rows={rows}
            widthMs={DAY_MS}
            daily
            height={240}
            series={data.values.map((value) => ({ key: value, name: value, color: colors[value]!, kind: 'bar', stack: 'labels' }))}
            format={(v) => formatCount(v)}
          />
        </section>
        <div className="grid">
          <ClassBalance data={data} colors={colors} />
          <section className="card">
            <div className="card-head">
              <h2>Realized return by label</h2>
              <span className="hint">what happened over the horizon after each label</span>
            </div>
            <ReturnBoxes classes={data.classes} colors={colors} />
          </section>
        </div>
      </div>
    </>
  );
}
