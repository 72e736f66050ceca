'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { GapPage } from '@/lib/dashboard/quality/gaps';
import { fetchJson } from '../ui/api';
import { Pager } from '../ui/controls';
import { formatCount, formatDateTime } from '../ui/format';
import { queries } from '../ui/queries';
import { ErrorState, Skeleton } from '../ui/states';
import { GAP_PAGE_SIZE as PAGE_SIZE } from './window';

/** One series' gaps over its whole stored history (the table above sees only the chosen window), newest first, paged. */
export function GapHistory({ series }: { series: { symbol: string; timeframe: string }[] }) {
  const [chosen, setChosen] = useState(0);
  const [page, setPage] = useState(1);
  const current = series[chosen];
  const request = current ? { ...current, page, pageSize: PAGE_SIZE } : null;
  const { data, isPending, isError, error, refetch } = useQuery({
    queryKey: request ? queries.gaps(request).key : ['gaps', 'none'],
    queryFn: ({ signal }) => fetchJson<GapPage>(queries.gaps(request!).url, signal),
    enabled: request !== null,
    placeholderData: keepPreviousData,
  });
  if (!current) return null;
  return (
    <section className="card" data-testid="gap-history">
      <div className="card-head">
        <h2>Gaps over the whole history</h2>
        <label className="field">
          Series
          <select
            value={chosen}
            onChange={(event) => {
              setChosen(Number(event.target.value));
              setPage(1);
            }}
            data-testid="gap-series"
          >
            {series.map((s, i) => (
              <option key={`${s.symbol} ${s.timeframe}`} value={i}>
                {s.symbol} · {s.timeframe}
              </option>
            ))}
          </select>
        </label>
      </div>
      {isPending ? (
        <Skeleton height={120} label="Loading gaps" />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : !data.total ? (
        <p className="hint">No gaps: every candle from the first stored one to the newest is there.</p>
      ) : (
        <>
          <table className="data">
            <thead>
              <tr>
                <th>First missing (UTC)</th>
                <th>Last missing</th>
                <th className="num">Candles missing</th>
              </tr>
            </thead>
            <tbody>
              {data.gaps.map((g) => (
                <tr key={g.from}>
                  <td>{formatDateTime(g.from)}</td>
                  <td>{formatDateTime(g.to)}</td>
                  <td className="num">{formatCount(g.missing)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={data.page} pages={data.pages} onPage={setPage} testId="gap-page">
            {formatCount(data.total)} gaps, {formatCount(data.missing)} candles missing
          </Pager>
        </>
      )}
    </section>
  );
}
