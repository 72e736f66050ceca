'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SentimentHistory } from '@/lib/dashboard/sentiment';
import { simulatedStretches } from '@/lib/dashboard/stretches';
import { TimeSeriesChart } from '../charts/time-series-chart';
import { fetchJson } from '../ui/api';
import { queries } from '../ui/queries';
import { rangeKeyOr } from '@/lib/market/range';
import { RANGE_OPTIONS, Segmented, SelectField } from '../ui/controls';
import { formatCount, formatNumber, formatPercent } from '../ui/format';
import { EmptyState, ErrorState, Skeleton, StartCollection } from '../ui/states';
import { useUrlState } from '../ui/use-url-state';
import { SentimentProvenance } from './sentiment-provenance';
import { DAY_MS, HOUR_MS } from '@/lib/market/time';

const SYNC_ID = 'sentiment';
const pct = (v: number | null) => formatPercent(v, 0);

function fearGreedLabel(value: number | null): string {
  if (value === null) return '—';
  return value < 25 ? 'Extreme fear' : value < 45 ? 'Fear' : value <= 55 ? 'Neutral' : value <= 75 ? 'Greed' : 'Extreme greed';
}

export function SentimentExplorer({ initial }: { initial: { symbol?: string; range?: string; [key: string]: string | undefined } }) {
  const [params, setParams] = useUrlState(initial);
  const range = rangeKeyOr(params.range, '90d');
  const symbol = params.symbol ?? 'BTC/USDT';
  const { data, isPending, isError, error, refetch, isFetching } = useQuery({
    queryKey: queries.sentiment({ symbol, range }).key,
    queryFn: ({ signal }) => fetchJson<SentimentHistory>(queries.sentiment({ symbol, range }).url, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });

  const symbols = data ? (data.symbols.includes(symbol) ? data.symbols : [symbol, ...data.symbols]) : [symbol];
  const toolbar = (
    <div className="toolbar">
      <SelectField label="Symbol" value={symbol} options={symbols} onChange={(value) => setParams({ symbol: value })} testId="symbol-select" />
      <Segmented label="Range" options={RANGE_OPTIONS} value={range} onChange={(value) => setParams({ range: value })} />
      {isFetching && <span className="spinner" aria-label="Updating" />}
    </div>
  );
  if (isPending) return <>{toolbar}<Skeleton height={640} label="Loading sentiment" /></>;
  if (isError) return <>{toolbar}<ErrorState error={error} onRetry={() => refetch()} /></>;
  if (!data.points.length) {
    return (
      <>
        {toolbar}
        <EmptyState title={data.symbols.length ? `No sentiment for ${symbol}${data.to !== null ? ' in this window' : ' yet'}` : 'No sentiment stored yet'}>
          {data.symbols.length ? (
            <p style={{ margin: 0 }}>
              Sentiment is stored for {data.symbols.join(', ')}. For {symbol}, start a sentiment collection on the <a href="/admin">admin page</a>.
            </p>
          ) : (
            <StartCollection what="a sentiment collection" />
          )}
        </EmptyState>
      </>
    );
  }

  const widthMs = data.bucket === '1h' ? HOUR_MS : DAY_MS;
  const points = data.points;
  const stretches = simulatedStretches(points.map((p) => p.t), points.map((p) => p.simulated), widthMs);
  const last = points[points.length - 1]!;
  const samples = points.reduce((sum, p) => sum + p.samples, 0);
  const simulated = points.reduce((sum, p) => sum + p.simulated, 0);
  const chart = { rows: points, widthMs, syncId: SYNC_ID, stretches, daily: data.bucket === '1d' };
  return (
    <>
      {toolbar}
      <div className="stats" data-testid="sentiment-stats">
        <div className="stat">
          <div className="stat-label">Fear &amp; Greed</div>
          <div className="stat-value">{formatNumber(last.fear_greed_index, 0)}</div>
          <div className="stat-sub">{fearGreedLabel(last.fear_greed_index)}</div>
        </div>
        <div className="stat">
          <div className="stat-label">News · social</div>
          <div className="stat-value">
            {formatNumber(last.news_sentiment_score, 2)} · {formatNumber(last.social_sentiment_score, 2)}
          </div>
          <div className="stat-sub">mean VADER compound, −1 to 1</div>
        </div>
        <div className="stat">
          <div className="stat-label">Bullish · bearish</div>
          <div className="stat-value">
            <span className="up">{pct(last.bullish_sentiment_ratio)}</span> · <span className="down">{pct(last.bearish_sentiment_ratio)}</span>
          </div>
          <div className="stat-sub">of scored documents</div>
        </div>
        <div className="stat">
          <div className="stat-label">Simulated inputs</div>
          <div className={`stat-value ${simulated ? 'status-warn' : ''}`}>{formatPercent(samples ? simulated / samples : null)}</div>
          <div className="stat-sub">
            {formatCount(simulated)} of {formatCount(samples)} rows · {data.bucket === '1h' ? 'hourly' : 'daily'} means
          </div>
        </div>
      </div>
      <div className="stack" data-testid="sentiment-charts">
        <section className="card chart-card">
          <div className="chart-head">
            <span className="chart-title">Fear &amp; Greed index</span>
            <span className="hint">alternative.me, daily; 0 extreme fear – 100 extreme greed</span>
          </div>
          <TimeSeriesChart {...chart} testId="chart-fear-greed" series={[{ key: 'fear_greed_index', name: 'F&G', color: 'var(--c2)', kind: 'area' }]} domain={[0, 100]} yTicks={[0, 25, 50, 75, 100]} levels={[{ y: 25, label: 'fear' }, { y: 75, label: 'greed' }]} format={(v) => formatNumber(v, 0)} height={190} />
        </section>
        <section className="card chart-card">
          <div className="chart-head">
            <span className="chart-title">News and social scores</span>
            <span className="hint">mean compound score of headlines and posts mentioning the coin (24 h window)</span>
          </div>
          <TimeSeriesChart
            {...chart}
            testId="chart-scores"
            series={[
              { key: 'news_sentiment_score', name: 'News', color: 'var(--c1)' },
              { key: 'social_sentiment_score', name: 'Social', color: 'var(--c5)' },
              { key: 'weighted_coin_sentiment', name: 'Coin-weighted', color: 'var(--c4)' },
            ]}
            levels={[{ y: 0 }]}
          />
        </section>
        <section className="card chart-card">
          <div className="chart-head">
            <span className="chart-title">Bullish · neutral · bearish share</span>
            <span className="hint">share of scored documents by polarity, stacked to 100%</span>
          </div>
          <TimeSeriesChart
            {...chart}
            testId="chart-ratios"
            series={[
              { key: 'bearish_sentiment_ratio', name: 'Bearish', color: 'var(--down)', kind: 'area', stack: 'ratio' },
              { key: 'neutral_sentiment_ratio', name: 'Neutral', color: 'var(--c6)', kind: 'area', stack: 'ratio' },
              { key: 'bullish_sentiment_ratio', name: 'Bullish', color: 'var(--up)', kind: 'area', stack: 'ratio' },
            ]}
            domain={[0, 1]}
            format={pct}
          />
        </section>
        <div className="grid">
          <section className="card chart-card">
            <div className="chart-head">
              <span className="chart-title">Momentum</span>
              <span className="hint">change of the blended score</span>
            </div>
            <TimeSeriesChart {...chart} testId="chart-momentum" series={[{ key: 'sentiment_momentum', name: 'Momentum', color: 'var(--c3)' }]} levels={[{ y: 0 }]} format={(v) => formatNumber(v, 3)} height={150} />
          </section>
          <section className="card chart-card">
            <div className="chart-head">
              <span className="chart-title">Volatility</span>
              <span className="hint">dispersion of the blended score</span>
            </div>
            <TimeSeriesChart {...chart} testId="chart-volatility" series={[{ key: 'sentiment_volatility', name: 'Volatility', color: 'var(--c2)', kind: 'area' }]} format={(v) => formatNumber(v, 3)} height={150} />
          </section>
        </div>
        <SentimentProvenance inputs={data.inputs} />
      </div>
    </>
  );
}
