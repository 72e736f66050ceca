'use client';

import { compareTimeframes } from '@/lib/market/timeframe';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { Overview, OverviewSeries } from '@/lib/dashboard/overview';
import { fetchJson } from '../ui/api';
import { queries } from '../ui/queries';
import { formatCompact, formatCount, formatDateTime, formatDuration, formatNumber, formatPercent, formatPrice } from '../ui/format';
import { EmptyState, ErrorState, Skeleton, StartCollection, StatusBadge } from '../ui/states';

const STATUS_LABEL = { ok: 'on time', warn: 'late', bad: 'stale', none: 'no data' } as const;

function seriesHref(s: { symbol: string; timeframe: string }) {
  return `/indicators?symbol=${encodeURIComponent(s.symbol)}&timeframe=${s.timeframe}`;
}

function FreshnessMatrix({ series }: { series: OverviewSeries[] }) {
  const symbols = [...new Set(series.map((s) => s.symbol))];
  const timeframes = [...new Set(series.map((s) => s.timeframe))].sort(compareTimeframes);
  const cell = new Map(series.map((s) => [`${s.symbol} ${s.timeframe}`, s]));
  return (
    <div className="table-wrap">
      <table className="data" data-testid="freshness-matrix">
        <thead>
          <tr>
            <th>Symbol</th>
            {timeframes.map((tf) => (
              <th key={tf}>{tf}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {symbols.map((symbol) => (
            <tr key={symbol}>
              <td>
                <b>{symbol}</b>
              </td>
              {timeframes.map((tf) => {
                const s = cell.get(`${symbol} ${tf}`);
                if (!s) return <td key={tf} />;
                const title = s.newest === null ? `${symbol} ${tf}: nothing stored${s.tracked ? ' (tracked)' : ''}` : `${symbol} ${tf}: newest candle ${formatDateTime(s.newest)} UTC, ${s.freshness.missedCandles} candles behind`;
                return (
                  <td key={tf} title={title} data-testid={`freshness-${symbol}-${tf}`} data-status={s.freshness.status}>
                    {s.newest === null ? (
                      <span className="hint">
                        <span className="dot" />
                        {s.tracked ? 'no data' : '—'}
                      </span>
                    ) : (
                      <Link href={seriesHref(s)} style={{ color: 'inherit' }}>
                        <span className={`dot ${s.freshness.status}`} />
                        {formatDuration(s.freshness.lagMs)}
                      </Link>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function LatestValues({ series }: { series: OverviewSeries[] }) {
  const stored = series.filter((s) => s.latest);
  return (
    <div className="table-wrap">
      <table className="data" data-testid="latest-values">
        <thead>
          <tr>
            <th>Series</th>
            <th>Newest candle (UTC)</th>
            <th className="num">Close</th>
            <th className="num">24h</th>
            <th className="num">RSI</th>
            <th className="num">MACD hist</th>
            <th className="num">ATR %</th>
            <th className="num">Volume</th>
            <th className="num">Candles</th>
            <th>Source</th>
          </tr>
        </thead>
        <tbody>
          {stored.map((s) => {
            const v = s.latest!;
            return (
              <tr key={`${s.symbol} ${s.timeframe}`} className={s.freshness.status === 'bad' ? 'row-bad' : s.freshness.status === 'warn' ? 'row-warn' : undefined}>
                <td>
                  <Link href={seriesHref(s)}>
                    {s.symbol} · {s.timeframe}
                  </Link>
                </td>
                <td>
                  {formatDateTime(s.newest)} <StatusBadge status={s.freshness.status}>{STATUS_LABEL[s.freshness.status]}</StatusBadge>
                </td>
                <td className="num">{formatPrice(v.close)}</td>
                <td className={`num ${v.change24h !== null && v.change24h < 0 ? 'down' : 'up'}`}>{formatPercent(v.change24h, 2, true)}</td>
                <td className="num">{formatNumber(v.rsi, 1)}</td>
                <td className={`num ${v.macdHistogram !== null && v.macdHistogram < 0 ? 'down' : 'up'}`}>{formatNumber(v.macdHistogram, 3)}</td>
                <td className="num">{v.atr !== null ? formatPercent(v.atr / v.close, 2) : '—'}</td>
                <td className="num">{formatCompact(v.volume)}</td>
                <td className="num">{formatCount(s.candles)}</td>
                <td>{v.isSimulated ? <span className="badge sim">simulated</span> : v.source}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** What is collected, how fresh it is and what it says now; refreshes every 30 seconds. */
export function OverviewBoard() {
  const { data, isPending, isError, error, refetch } = useQuery({
    queryKey: queries.overview.key,
    queryFn: ({ signal }) => fetchJson<Overview>(queries.overview.url, signal),
    refetchInterval: 30_000,
  });
  if (isPending) return <Skeleton height={320} label="Loading overview" />;
  if (isError) return <ErrorState error={error} onRetry={() => refetch()} />;

  const stored = data.series.filter((s) => s.newest !== null);
  const tracked = data.series.filter((s) => s.tracked);
  const count = (status: string) => stored.filter((s) => s.freshness.status === status).length;
  const candles = stored.reduce((sum, s) => sum + s.candles, 0);
  const simulated = stored.reduce((sum, s) => sum + Math.round((s.simulatedShare ?? 0) * s.candles), 0);
  const { today } = data;
  return (
    <div className="stack" data-testid="overview-board">
      <div className="stats" style={{ marginBottom: 0 }}>
        <div className="stat">
          <div className="stat-label">Series with data</div>
          <div className="stat-value">{stored.length}</div>
          <div className="stat-sub">
            {tracked.filter((s) => s.newest !== null).length} of {tracked.length} tracked · {formatCompact(candles)} candles
          </div>
        </div>
        <div className="stat" data-testid="freshness-summary">
          <div className="stat-label">Freshness</div>
          <div className="stat-value">
            <span className="status-ok">{count('ok')}</span> · <span className="status-warn">{count('warn')}</span> · <span className="status-bad">{count('bad')}</span>
          </div>
          <div className="stat-sub">on time · late · stale</div>
        </div>
        <div className="stat" data-testid="fallback-today">
          <div className="stat-label">Fallback rate today (UTC)</div>
          <div className={`stat-value status-${today.status === 'none' ? 'ok' : today.status}`}>{today.attempts ? formatPercent(today.fallbackRate) : '—'}</div>
          <div className="stat-sub">
            {today.attempts ? `${today.fallback + today.failed} of ${formatCount(today.attempts)} attempts not real` : 'no collection attempts today'}
          </div>
        </div>
        <div className="stat" data-testid="simulated-share">
          <div className="stat-label">Simulated candles</div>
          <div className={`stat-value ${simulated ? 'status-warn' : ''}`}>{candles ? formatPercent(simulated / candles, 2) : '—'}</div>
          <div className="stat-sub">
            {formatCount(simulated)} flagged · checked {formatDateTime(data.now).slice(11)} UTC
          </div>
        </div>
      </div>
      {!stored.length && (
        <EmptyState title="No candles stored yet">
          <StartCollection />
        </EmptyState>
      )}
      <section className="card">
        <div className="card-head">
          <h2>Freshness by symbol and timeframe</h2>
          <span className="hint">time since the newest candle closed; amber after a missed candle, red after more than three</span>
        </div>
        <FreshnessMatrix series={data.series} />
      </section>
      {stored.length > 0 && (
        <section className="card">
          <div className="card-head">
            <h2>Latest values</h2>
            <span className="hint">newest stored candle of each series</span>
          </div>
          <LatestValues series={data.series} />
        </section>
      )}
    </div>
  );
}
