'use client';

import { useQuery } from '@tanstack/react-query';
import type { TableCount } from '@/lib/health/count-tables';
import { fetchJson } from './ui/api';
import { queries } from './ui/queries';

async function fetchCounts({ signal }: { signal: AbortSignal }): Promise<TableCount[]> {
  return (await fetchJson<{ tables: TableCount[] }>(queries.tables.url, signal)).tables;
}

const format = new Intl.NumberFormat('en-US');

export function TableCounts() {
  const { data, isPending, isError, error } = useQuery({ queryKey: queries.tables.key, queryFn: fetchCounts, refetchInterval: 30_000 });
  return (
    <section className="card" aria-labelledby="tables-title">
      <h2 id="tables-title">Tables</h2>
      {isPending ? (
        <div className="skeleton" style={{ height: 220 }} aria-label="Loading table counts" />
      ) : isError ? (
        <p className="error">Could not count rows: {(error as Error).message}</p>
      ) : (
        <>
          <table className="data" data-testid="table-counts">
            <thead>
              <tr><th>Table</th><th>Kind</th><th className="num">Rows</th></tr>
            </thead>
            <tbody>
              {data.map((table) => (
                <tr key={table.name}>
                  <td><code>{table.name}</code></td>
                  <td>{table.kind}</td>
                  <td className="num">{format.format(table.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.every((table) => table.rows === 0) && (
            <p className="empty">No data yet — import candles with <code>npm run features -- import</code> or start a collection.</p>
          )}
        </>
      )}
    </section>
  );
}
