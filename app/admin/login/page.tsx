import { redirect } from 'next/navigation';
import { adminMethod } from '@/lib/auth/credentials';
import { isAdmin } from '@/lib/auth/session';
import { config } from '@/lib/config/env';
import styles from '../admin.module.css';
import { TokenFromLink } from '../_components/token-link';

export const dynamic = 'force-dynamic';
export const metadata = { title: 'Sign in · Feature Foundation' };

const ERRORS: Record<string, string> = {
  invalid: 'Wrong credentials.',
  locked: 'Too many failed sign-ins. Wait a little and try again.',
  disabled: 'The admin area is disabled on this server.',
  origin: 'The request did not come from this site.',
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ error?: string | string[] }> }) {
  if (await isAdmin()) redirect('/admin');
  const method = adminMethod(config());
  const { error } = await searchParams;
  // Only our own codes: `?error=toString` must not find Object.prototype's function.
  const message = typeof error === 'string' ? (Object.hasOwn(ERRORS, error) ? ERRORS[error] : 'Sign-in failed.') : null;
  return (
    <section className={`card ${styles.login}`} aria-labelledby="login-title">
      <h1 id="login-title">Admin sign-in</h1>
      {method === 'disabled' ? (
        <p className="empty">
          The admin area is disabled. Set <code>ADMIN_TOKEN</code> (or <code>ADMIN_USERNAME</code> and <code>ADMIN_PASSWORD</code>)
          in the server&apos;s environment and restart it.
        </p>
      ) : (
        <form id="admin-login" className={styles.form} method="post" action="/api/admin/login" aria-label="Admin sign-in">
          {message && <p role="alert" className={`${styles.message} ${styles.bad}`}>{message}</p>}
          {method === 'token' ? (
            <label className={styles.field}>
              <span>Admin token</span>
              <input className={styles.input} name="token" type="password" autoComplete="current-password" required autoFocus />
            </label>
          ) : (
            <>
              <label className={styles.field}>
                <span>Username</span>
                <input className={styles.input} name="username" autoComplete="username" required autoFocus />
              </label>
              <label className={styles.field}>
                <span>Password</span>
                <input className={styles.input} name="password" type="password" autoComplete="current-password" required />
              </label>
            </>
          )}
          <button className={styles.button} type="submit">Sign in</button>
          {method === 'token' && <TokenFromLink formId="admin-login" />}
        </form>
      )}
    </section>
  );
}
