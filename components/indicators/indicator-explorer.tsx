'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { IndicatorSeries } from '@/lib/dashboard/indicators';
import type { StoredSeries } from '@/lib/dashboard/series';
import { IndicatorPane } from '../charts/indicator-pane';
import { PriceChart } from '../charts/price-chart';
import { toRows } from '../charts/rows';
import { fetchJson } from '../ui/api';
import { queries } from '../ui/queries';
import { RANGE_OPTIONS, Segmented, SelectField } from '../ui/controls';
import { EmptyState, ErrorState, Skeleton, StartCollection } from '../ui/states';
import { useUrlState } from '../ui/use-url-state';
import { IndicatorSummary } from './indicator-summary';
import { PANES } from './panes';
import { chooseChart, pointsForWidth, SERVER_POINTS, type IndicatorParams } from './selection';
import { HOUR_MS } from '@/lib/market/time';

const SYNC_ID = 'indicators';

/**
 * Points per chart, fixed once the window is measured. It starts at the server's plan, so the chart
 * the server drew is used as is; a narrower window then asks for fewer points.
 */
function usePointBudget(): number {
  const [points, setPoints] = useState(SERVER_POINTS);
  useEffect(() => setPoints(pointsForWidth(window.innerWidth)), []);
  return points;
}

export function IndicatorExplorer({ initial }: { initial: IndicatorParams }) {
  const [params, setParams] = useUrlState<IndicatorParams>(initial);
  const points = usePointBudget();
  const seriesList = useQuery({ queryKey: queries.series.key, queryFn: ({ signal }) => fetchJson<{ series: StoredSeries[] }>(queries.series.url, signal), refetchInterval: 60_000 });

  const stored = seriesList.data?.series ?? [];
  const { symbols, symbol, timeframes, timeframe, range } = chooseChart(stored, params);
  const request = queries.indicators({ symbol: symbol ?? '', timeframe, range, end: params.end, points });

  const chart = useQuery({
    queryKey: request.key,
    queryFn: ({ signal }) => fetchJson<IndicatorSeries>(request.url, signal),
    enabled: Boolean(symbol),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const rows = useMemo(() => (chart.data ? toRows(chart.data.columns, chart.data.bucket.widthMs) : []), [chart.data]);

  if (seriesList.isError) return <ErrorState error={seriesList.error} onRetry={() => seriesList.refetch()} />;
  if (seriesList.isPending) return <Skeleton height={520} label="Loading series" />;
  if (!symbol) {
    return (
      <EmptyState title="No candles stored yet">
        <StartCollection what="a candle collection" />
      </EmptyState>
    );
  }

  const symbolOptions = symbols.includes(symbol) ? symbols : [symbol, ...symbols];
  const timeframeOptions = timeframes.includes(timeframe) ? timeframes : [timeframe, ...timeframes];
  const data = chart.data;
  const widthMs = data?.bucket.widthMs ?? HOUR_MS;
  const vwapLabel = data?.vwapKind === 'session' ? 'VWAP (session)' : 'VWAP (bucket)';

  return (
    <>
      <div className="toolbar">
        <SelectField label="Symbol" value={symbol} options={symbolOptions} onChange={(value) => setParams({ symbol: value, timeframe: undefined, end: undefined })} testId="symbol-select" />
        <SelectField label="Timeframe" value={timeframe} options={timeframeOptions} onChange={(value) => setParams({ timeframe: value, end: undefined })} testId="timeframe-select" />
        <Segmented label="Range" options={RANGE_OPTIONS} value={range} onChange={(value) => setParams({ range: value })} />
        {chart.isFetching && <span className="spinner" aria-label="Updating" />}
      </div>
      {chart.isError ? (
        <ErrorState error={chart.error} onRetry={() => chart.refetch()} />
      ) : !data ? (
        <Skeleton height={720} label="Loading chart" />
      ) : !rows.length ? (
        <EmptyState title={`No ${timeframe} candles for ${symbol}${data.to !== null ? ' in this window' : ' yet'}`}>
          {data.to === null ? <StartCollection what={`a ${symbol} collection`} /> : <p style={{ margin: 0 }}>Pick a longer range or another timeframe.</p>}
        </EmptyState>
      ) : (
        <div
          className="card chart-card"
          data-testid="indicator-chart"
          data-symbol={data.symbol}
          data-timeframe={data.timeframe}
          data-range={data.range}
          data-bucket={data.bucket.width}
          data-points={data.columns.t.length}
          data-first={data.columns.t[0]}
          data-last={data.columns.t[data.columns.t.length - 1]}
        >
          <IndicatorSummary series={data} vwapLabel={vwapLabel} />
          <PriceChart rows={rows} widthMs={widthMs} stretches={data.simulatedStretches} syncId={SYNC_ID} vwapLabel={vwapLabel} />
          <div className="panes">
            {PANES.map((spec, i) => (
              <IndicatorPane key={spec.id} spec={spec} rows={rows} widthMs={widthMs} stretches={data.simulatedStretches} syncId={SYNC_ID} showTimeAxis={i === PANES.length - 1} />
            ))}
          </div>
        </div>
      )}
    </>
  );
}
