'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiRequestError, fetchJson, sendJson } from '@/components/ui/api';
import { queries } from '@/components/ui/queries';
import { EmptyState, ErrorState, Skeleton } from '@/components/ui/states';
import { describeGaps } from '@/lib/ingest/gap-report';
import type { Run } from '@/lib/jobs/runs';
import styles from '../admin.module.css';

async function fetchRuns({ signal }: { signal: AbortSignal }): Promise<Run[]> {
  try {
    return (await fetchJson<{ runs: Run[] }>(queries.adminRuns.url, signal, { cache: 'no-store' })).runs;
  } catch (error) {
    // The session ended (signed out elsewhere, credentials changed): back to the sign-in form.
    if (error instanceof ApiRequestError && error.status === 401) window.location.assign('/admin/login');
    throw error;
  }
}

const cancel = (id: string) => sendJson<{ cancelled: string }>(`/api/admin/runs/${id}/cancel`);

const time = new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'UTC' });
const number = new Intl.NumberFormat('en-US');

function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;
}

function Sources({ run }: { run: Run }) {
  if (!run.sources.length) return <span className={styles.sources}>—</span>;
  return (
    <>
      {run.sources.map((s) => (
        <div key={s.source} className={styles.sources} title={`${s.attempts} attempts`}>
          {s.source}: {s.real} real · {s.fallback} fallback · {s.failed} failed{s.simulatedRows ? ` · ${number.format(s.simulatedRows)} simulated rows` : ''}
        </div>
      ))}
    </>
  );
}

export function RunsTable() {
  const queryClient = useQueryClient();
  const runs = useQuery({ queryKey: queries.adminRuns.key, queryFn: fetchRuns, refetchInterval: 2000 });
  const cancelling = useMutation({ mutationFn: cancel, onSettled: () => queryClient.invalidateQueries({ queryKey: queries.adminRuns.key }) });

  if (runs.isPending) return <Skeleton height={240} label="Loading runs" />;
  if (runs.isError) return <ErrorState error={runs.error} onRetry={() => runs.refetch()} />;
  if (!runs.data.length) return <EmptyState title="No runs yet">Start a collection with the form.</EmptyState>;
  return (
    <div className={styles.tableWrap}>
      {cancelling.isError && <p role="alert" className={`${styles.message} ${styles.bad}`}>{cancelling.error.message}</p>}
      <table className="data" data-testid="runs">
        <thead>
          <tr>
            <th>Queued (UTC)</th><th>Kind</th><th>Series</th><th>Status</th><th>Per source</th>
            <th className="num">Written</th><th className="num">Quarantined</th><th className="num">Duration</th><th></th>
          </tr>
        </thead>
        <tbody>
          {runs.data.map((run) => (
            <tr key={run.id} data-run-id={run.id} data-status={run.status}>
              <td>{time.format(new Date(run.createdAt))}</td>
              <td>{run.kind}</td>
              <td>{run.symbol ? `${run.symbol} ${run.timeframe}` : ((run.params.symbols as string[] | undefined)?.join(', ') ?? 'all')}</td>
              <td>
                <span className={`${styles.status} ${styles[run.status]}`}>{run.status}</span>
                {run.attempts > 1 && <span className={styles.sources}> · attempt {run.attempts}</span>}
                {run.kind === 'backfill' && run.progress !== null && (
                  <div className={styles.progress} role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(run.progress * 100)}>
                    <div style={{ width: `${run.progress * 100}%` }} />
                  </div>
                )}
              </td>
              <td>
                <Sources run={run} />
                {run.gaps && run.gaps.count > 0 && <div className={styles.error} data-testid="run-gaps">{describeGaps(run.gaps)}</div>}
                {run.error && <div className={styles.error} title={run.error}>{run.error}</div>}
              </td>
              <td className="num">{number.format(run.rowsWritten)}{run.rowsSimulated ? ` (${number.format(run.rowsSimulated)} sim.)` : ''}</td>
              <td className="num">{number.format(run.rowsQuarantined)}</td>
              <td className="num">{duration(run.durationMs)}</td>
              <td>
                {run.status === 'queued' && (
                  <button className={styles.ghost} type="button" onClick={() => cancelling.mutate(run.id)} disabled={cancelling.isPending}>
                    Cancel
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
