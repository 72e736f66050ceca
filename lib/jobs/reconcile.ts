import type { Pool } from 'pg';
import { BOSS_SCHEMA } from './boss';

/**
 * Closes runs the queue has given up on. A run is open (queued, running, retrying) only while its
 * job can still execute; when the job failed for good, was cancelled, or is gone from the queue
 * (deleted, expired past retention), nothing will ever finish the run, so it is closed here with
 * the reason. The worker runs this at start and every minute; it is idempotent and cheap (it reads
 * only open runs).
 */
export interface ClosedRun {
  id: string;
  status: 'failed' | 'cancelled';
  error: string;
}

// A run younger than this may be between its insert and its job's send (one transaction, but
// another session may read between): left alone.
const GRACE = `interval '1 minute'`;

export async function reconcileRuns(pool: Pool): Promise<ClosedRun[]> {
  const { rows } = await pool.query<ClosedRun>(
    `with open_runs as (
       select r.id, r.error, j.state::text as state, j.output->>'message' as job_message
       from collection_runs r
       left join ${BOSS_SCHEMA}.job j on j.id = case when r.job_id ~* '^[0-9a-f-]{36}$' then r.job_id::uuid end
       where r.status in ('queued', 'running', 'retrying') and r.created_at < now() - ${GRACE}
     ), stuck as (
       select id, case when state = 'cancelled' then 'cancelled' else 'failed' end as status,
         case
           when state is null then 'closed by the reconciler: its job is no longer in the queue (deleted or expired)'
           when state = 'cancelled' then 'closed by the reconciler: its job was cancelled in the queue'
           when state = 'completed' then 'closed by the reconciler: its job ended but the run''s result was never recorded'
           else 'closed by the reconciler: the queue gave up on its job' || coalesce(' (' || job_message || ')', '')
         end || coalesce('; last error: ' || error, '') as error
       from open_runs
       where state is null or state in ('failed', 'cancelled', 'completed')
     )
     update collection_runs r set status = s.status, error = left(s.error, 2000), finished_at = now()
     from stuck s
     where r.id = s.id and r.status in ('queued', 'running', 'retrying')
     returning r.id, r.status, r.error`,
  );
  return rows;
}

/** Runs the reconciler now and then every `everyMs`; failures (database away) are logged and retried next time. */
export function startReconciler(pool: Pool, log: (line: string) => void, everyMs = 60_000): { stop(): void } {
  const pass = async () => {
    try {
      for (const run of await reconcileRuns(pool)) log(`reconciler: run ${run.id} ${run.status}: ${run.error}`);
    } catch (error) {
      log(`reconciler: skipped a pass (${(error as Error).message})`);
    }
  };
  void pass();
  const timer = setInterval(() => void pass(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
