'use client';

import { useQuery } from '@tanstack/react-query';
import type { Health } from '@/lib/health/get-health';
import { queries } from './ui/queries';

async function fetchHealth(): Promise<Health> {
  // 503 still carries a Health body: the point is to show why.
  const response = await fetch(queries.health.url, { cache: 'no-store' });
  return (await response.json()) as Health;
}

const MODE_LABEL = { embedded: 'Embedded PostgreSQL', plain: 'PostgreSQL', timescale: 'TimescaleDB' } as const;

export function HealthCard() {
  const { data, isPending, isError, error } = useQuery({ queryKey: queries.health.key, queryFn: fetchHealth, refetchInterval: 15_000 });
  return (
    <section className="card" aria-labelledby="health-title" data-testid="health-card">
      <h2 id="health-title">Database</h2>
      {isPending ? (
        <div className="skeleton" style={{ height: 96 }} aria-label="Loading database status" />
      ) : isError ? (
        <p className="error">Could not reach the API: {(error as Error).message}</p>
      ) : data.status === 'unavailable' ? (
        <p className="error" role="alert">
          Database unavailable: {data.error}
        </p>
      ) : (
        <dl className="kv">
          <dt>Status</dt>
          <dd><span className="badge ok">healthy</span></dd>
          <dt>Mode</dt>
          <dd data-testid="database-mode">{MODE_LABEL[data.database.mode]} ({data.database.mode})</dd>
          <dt>PostgreSQL</dt>
          <dd>{data.database.serverVersion}</dd>
          <dt>TimescaleDB</dt>
          <dd>{data.database.timescaleVersion ?? 'not installed — rollups are maintained tables'}</dd>
          <dt>Migrations</dt>
          <dd>{data.database.migrations} applied</dd>
        </dl>
      )}
    </section>
  );
}
