'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { QualityReport as Report } from '@/lib/dashboard/quality/report';
import { rateStatus, THRESHOLDS } from '@/lib/dashboard/thresholds';
import { TimeSeriesChart } from '../charts/time-series-chart';
import { fetchJson } from '../ui/api';
import { Segmented } from '../ui/controls';
import { formatCount, formatDateTime, formatDuration, formatPercent } from '../ui/format';
import { EmptyState, ErrorState, Skeleton, StartCollection, StatusBadge } from '../ui/states';
import { useUrlState } from '../ui/use-url-state';
import { GapHistory } from './gap-history';
import { QuarantineTable } from './quarantine-table';
import { StorageCard } from './storage-card';
import { ThresholdsCard } from './thresholds-card';
import { DAYS, windowDays } from './window';
import { queries } from '../ui/queries';
import { DAY_MS } from '@/lib/market/time';

const PALETTE = ['var(--c1)', 'var(--c2)', 'var(--c3)', 'var(--c4)', 'var(--c5)', 'var(--c6)'];
const rowClass = (status: string) => (status === 'bad' ? 'row-bad' : status === 'warn' ? 'row-warn' : undefined);

/** Pivot [{t, key, value}] into chart rows {t, [key]: value}. */
function pivot<T extends { t: number }>(items: readonly T[], key: (item: T) => string, value: (item: T) => number | null) {
  const keys = [...new Set(items.map(key))];
  const rows = new Map<number, { t: number } & Record<string, number | null>>();
  for (const item of items) {
    const row = rows.get(item.t) ?? ({ t: item.t } as { t: number } & Record<string, number | null>);
    row[key(item)] = value(item);
    rows.set(item.t, row);
  }
  return { keys, rows: [...rows.values()].sort((a, b) => a.t - b.t) };
}

export function QualityReport({ initial }: { initial: { days?: string; [key: string]: string | undefined } }) {
  const [params, setParams] = useUrlState(initial);
  const days = windowDays(params.days);
  const { data, isPending, isError, error, refetch, isFetching } = useQuery({
    queryKey: queries.quality(days).key,
    queryFn: ({ signal }) => fetchJson<Report>(queries.quality(days).url, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  const toolbar = (
    <div className="toolbar">
      <span className="field">Window</span>
      <Segmented label="Window" options={DAYS} value={days as (typeof DAYS)[number]['value']} onChange={(value) => setParams({ days: value })} />
      {isFetching && <span className="spinner" aria-label="Updating" />}
    </div>
  );
  if (isPending) return <>{toolbar}<Skeleton height={600} label="Loading quality report" /></>;
  if (isError) return <>{toolbar}<ErrorState error={error} onRetry={() => refetch()} /></>;

  const fallback = pivot(data.fallback.days, (d) => d.source, (d) => d.fallbackRate);
  const simulated = pivot(data.simulated, (d) => d.symbol, (d) => (d.candles ? d.simulated / d.candles : null));
  return (
    <>
      {toolbar}
      <div className="stack" data-testid="quality-report">
        {!data.series.length && (
          <EmptyState title="No candles stored yet">
            <StartCollection />
          </EmptyState>
        )}
        <section className="card" data-testid="series-quality">
          <div className="card-head">
            <h2>Freshness, gaps and simulated share per series</h2>
            <span className="hint">gaps in the last {data.days} days of each series&apos; own data</span>
          </div>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>Series</th>
                  <th>Newest candle (UTC)</th>
                  <th className="num">Behind</th>
                  <th>Freshness</th>
                  <th className="num">Missing</th>
                  <th className="num">Gaps</th>
                  <th>Largest gap</th>
                  <th className="num">Simulated</th>
                </tr>
              </thead>
              <tbody>
                {data.series.map((s) => {
                  const missingRate = s.expected ? s.missing / s.expected : null;
                  const missingStatus = rateStatus(missingRate, THRESHOLDS.missingRate);
                  const simulatedStatus = rateStatus(s.candles ? s.simulated / s.candles : null, THRESHOLDS.simulatedRate);
                  const worst = [s.freshness.status, missingStatus, simulatedStatus].includes('bad') ? 'bad' : [s.freshness.status, missingStatus, simulatedStatus].includes('warn') ? 'warn' : 'ok';
                  return (
                    <tr key={`${s.symbol} ${s.timeframe}`} className={rowClass(worst)}>
                      <td>
                        <b>{s.symbol}</b> · {s.timeframe}
                      </td>
                      <td>{formatDateTime(s.newest)}</td>
                      <td className="num">{formatDuration(s.freshness.lagMs)}</td>
                      <td>
                        <StatusBadge status={s.freshness.status}>{s.freshness.missedCandles ? `${formatCount(s.freshness.missedCandles)} candles late` : 'on time'}</StatusBadge>
                      </td>
                      <td className={`num status-${missingStatus}`}>
                        {formatCount(s.missing)} <span className="hint">({formatPercent(missingRate, 2)})</span>
                      </td>
                      <td className="num">{formatCount(s.gaps)}</td>
                      <td>{s.largest ? `${formatDateTime(s.largest.from)} · ${s.largest.missing} missing` : <span className="hint">none</span>}</td>
                      <td className={`num status-${simulatedStatus}`}>{formatPercent(s.candles ? s.simulated / s.candles : null, 2)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
        <div className="grid">
          <section className="card chart-card">
            <div className="chart-head">
              <span className="chart-title">Fallback rate per source, by day</span>
              <span className="hint">attempts the real source did not serve, last {data.days} days</span>
            </div>
            {fallback.rows.length ? (
              <TimeSeriesChart testId="chart-fallback" rows={fallback.rows} widthMs={DAY_MS} daily height={200} domain={[0, (max) => Math.min(1, Math.max(0.12, max * 1.1))]} format={(v) => formatPercent(v, 0)} levels={[{ y: THRESHOLDS.fallbackRate.warn, label: 'amber' }, { y: THRESHOLDS.fallbackRate.bad, label: 'red' }]} series={fallback.keys.map((key, i) => ({ key, name: key, color: PALETTE[i % PALETTE.length]! }))} />
            ) : (
              <p className="hint">No collection attempts in this window.</p>
            )}
          </section>
          <section className="card chart-card">
            <div className="chart-head">
              <span className="chart-title">Simulated share of candles per symbol, by day</span>
              <span className="hint">last {data.days} days of stored data</span>
            </div>
            {simulated.rows.length ? (
              <TimeSeriesChart testId="chart-simulated" rows={simulated.rows} widthMs={DAY_MS} daily height={200} domain={[0, (max) => Math.min(1, Math.max(0.06, max * 1.1))]} format={(v) => formatPercent(v, 0)} levels={[{ y: THRESHOLDS.simulatedRate.bad, label: 'red' }]} series={simulated.keys.map((key, i) => ({ key, name: key, color: PALETTE[i % PALETTE.length]! }))} />
            ) : (
              <p className="hint">No candles stored.</p>
            )}
          </section>
        </div>
        <section className="card" data-testid="fallback-by-series">
          <div className="card-head">
            <h2>Collection attempts by source</h2>
            <span className="hint">last {data.days} days; * = market-wide input</span>
          </div>
          {!data.fallback.bySeries.length ? (
            <p className="hint">No collection attempts recorded in this window — start a collection on the <a href="/admin">admin page</a>.</p>
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>Source</th>
                    <th>Input</th>
                    <th>Symbol</th>
                    <th className="num">Attempts</th>
                    <th className="num">Real</th>
                    <th className="num">Fallback</th>
                    <th className="num">Failed</th>
                    <th>Fallback rate</th>
                    <th>Last attempt (UTC)</th>
                    <th>Last error</th>
                  </tr>
                </thead>
                <tbody>
                  {data.fallback.bySeries.map((s) => (
                    <tr key={`${s.source} ${s.kind} ${s.symbol}`} className={rowClass(s.status)}>
                      <td>{s.source}</td>
                      <td>{s.kind}</td>
                      <td>{s.symbol}</td>
                      <td className="num">{formatCount(s.attempts)}</td>
                      <td className="num">{formatCount(s.real)}</td>
                      <td className="num">{formatCount(s.fallback)}</td>
                      <td className="num">{formatCount(s.failed)}</td>
                      <td>
                        <StatusBadge status={s.status}>{formatPercent(s.fallbackRate)}</StatusBadge>
                      </td>
                      <td>{formatDateTime(s.lastAttempt)}</td>
                      <td className="hint" style={{ maxWidth: 320, overflow: 'hidden', textOverflow: 'ellipsis' }} title={s.lastError ?? undefined}>
                        {s.lastError ?? '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <div className="grid">
          <section className="card" data-testid="validation-failures">
            <div className="card-head">
              <h2>Validation failures</h2>
              <span className="hint">rows rejected before storage, by rule</span>
            </div>
            {!data.failures.length ? (
              <p className="hint">No row has failed validation.</p>
            ) : (
              <table className="data">
                <thead>
                  <tr>
                    <th>Rule</th>
                    <th>Source</th>
                    <th className="num">Last {data.days} d</th>
                    <th className="num">Ever</th>
                  </tr>
                </thead>
                <tbody>
                  {data.failures.map((f) => (
                    <tr key={`${f.rule} ${f.source}`} className={f.recent ? 'row-warn' : undefined}>
                      <td>
                        <code>{f.rule}</code>
                      </td>
                      <td>{f.source}</td>
                      <td className="num">{formatCount(f.recent)}</td>
                      <td className="num">{formatCount(f.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <ThresholdsCard />
        </div>
        <GapHistory series={data.series.map((s) => ({ symbol: s.symbol, timeframe: s.timeframe }))} />
        <QuarantineTable rules={[...new Set(data.failures.map((f) => f.rule))]} />
        <StorageCard storage={data.storage} />
      </div>
    </>
  );
}
