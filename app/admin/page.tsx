import Link from 'next/link';
import { redirect } from 'next/navigation';
import { isAdmin } from '@/lib/auth/session';
import { config } from '@/lib/config/env';
import { triggerableKinds } from '@/lib/jobs/kinds';
import { listRuns } from '@/lib/jobs/runs';
import { getPool } from '@/lib/db/pool';
import { Prefetched } from '@/components/ui/prefetched';
import { queries } from '@/components/ui/queries';
import { AdminConsole } from './_components/admin-console';
import styles from './admin.module.css';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Admin · Feature Foundation' };

export default async function AdminPage() {
  if (!(await isAdmin())) redirect('/admin/login');
  const cfg = config();
  return (
    <>
      <div className={styles.header}>
        <div>
          <h1>Admin</h1>
          <p className="lede">Trigger collections and watch them run. Runs are executed by the worker (`npm start` runs one). Models are registered and activated on <Link href="/admin/models">Admin · Models</Link>.</p>
        </div>
        <div className={styles.signOut}>
          <form method="post" action="/api/admin/logout">
            <button className={styles.ghost} type="submit">Sign out</button>
          </form>
          <form method="post" action="/api/admin/logout?everywhere=1">
            <button className={styles.ghost} type="submit" title="Ends every admin session, on every browser">Sign out everywhere</button>
          </form>
        </div>
      </div>
      <Prefetched queries={[{ key: queries.adminRuns.key, load: () => listRuns(getPool(), { limit: 50 }) }]}>
        <AdminConsole kinds={triggerableKinds()} symbols={cfg.TRACKED_SYMBOLS} timeframes={cfg.TRACKED_TIMEFRAMES} exchange={cfg.EXCHANGE_ID} />
      </Prefetched>
    </>
  );
}
