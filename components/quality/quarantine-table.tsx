'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { QuarantinePage } from '@/lib/dashboard/quality/quarantine';
import { fetchJson } from '../ui/api';
import { Pager } from '../ui/controls';
import { queries } from '../ui/queries';
import { QUARANTINE_PAGE_SIZE } from './window';
import { formatCount, formatDateTime } from '../ui/format';
import { ErrorState, Skeleton } from '../ui/states';


/** Quarantined rows with their reasons, newest first, a page at a time. */
export function QuarantineTable({ rules }: { rules: string[] }) {
  const [page, setPage] = useState(1);
  const [rule, setRule] = useState('');
  const { data, isPending, isError, error, refetch } = useQuery({
    queryKey: queries.quarantine({ page, pageSize: QUARANTINE_PAGE_SIZE, rule }).key,
    queryFn: ({ signal }) => fetchJson<QuarantinePage>(queries.quarantine({ page, pageSize: QUARANTINE_PAGE_SIZE, rule }).url, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
  return (
    <section className="card" data-testid="quarantine">
      <div className="card-head">
        <h2>Quarantined rows</h2>
        <span className="toolbar" style={{ margin: 0 }}>
          <label className="field">
            Rule
            <select
              value={rule}
              onChange={(event) => {
                setRule(event.target.value);
                setPage(1);
              }}
              data-testid="quarantine-rule"
            >
              <option value="">all</option>
              {rules.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </label>
        </span>
      </div>
      {isPending ? (
        <Skeleton height={200} label="Loading quarantined rows" />
      ) : isError ? (
        <ErrorState error={error} onRetry={() => refetch()} />
      ) : !data.total ? (
        <p className="hint">Nothing quarantined{rule ? ` under rule ${rule}` : ''}: every row a source sent passed validation.</p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>Received (UTC)</th>
                  <th>Source</th>
                  <th>Series</th>
                  <th>Candle time</th>
                  <th>Rule</th>
                  <th>Reason</th>
                  <th>Payload</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((row) => (
                  <tr key={row.id}>
                    <td>{formatDateTime(row.receivedAt)}</td>
                    <td>{row.source}</td>
                    <td>
                      {row.symbol}
                      {row.timeframe ? ` · ${row.timeframe}` : ''}
                    </td>
                    <td>{formatDateTime(row.timestamp)}</td>
                    <td>
                      <code>{row.rule}</code>
                    </td>
                    <td className="wrap">{row.reason}</td>
                    <td style={{ maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' }} title={JSON.stringify(row.payload)}>
                      <code>{JSON.stringify(row.payload)}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={data.page} pages={data.pages} onPage={setPage} testId="quarantine-page">
            {formatCount(data.total)} rows
          </Pager>
        </>
      )}
    </section>
  );
}
