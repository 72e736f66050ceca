import Link from 'next/link';
import type { ReactNode } from 'react';

/** What to show instead of data: why there is none and what to do about it. */
export function EmptyState({ title, children, testId = 'empty-state' }: { title: string; children?: ReactNode; testId?: string }) {
  return (
    <div className="empty state-block" data-testid={testId}>
      <div>
        <strong>{title}</strong>
        {children}
      </div>
    </div>
  );
}

/** The usual advice when a table is empty: the admin page starts collections. */
export function StartCollection({ what = 'a collection' }: { what?: string }) {
  return (
    <p style={{ margin: 0 }}>
      No data yet — start {what} on the <Link href="/admin">admin page</Link>, or import candles with{' '}
      <code>npm run features -- import</code>.
    </p>
  );
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="error" role="alert" data-testid="error-state">
      <strong>Could not load this data.</strong> {message}
      {onRetry && (
        <div>
          <button type="button" className="button" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
    </div>
  );
}

export function Skeleton({ height, label }: { height: number; label?: string }) {
  return <div className="skeleton" style={{ height }} aria-label={label ?? 'Loading'} role="status" />;
}

export function StatusBadge({ status, children }: { status: 'ok' | 'warn' | 'bad' | 'none'; children: ReactNode }) {
  return <span className={`badge ${status}`}>{children}</span>;
}
