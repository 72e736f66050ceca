'use client';

/** A page that failed to render: say so, and offer to try again (the API may be back). */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="error" role="alert" data-testid="page-error">
      <strong>This page failed to load.</strong> {error.message || 'An unexpected error occurred.'}
      {error.digest && <span className="hint"> (reference {error.digest})</span>}
      <div>
        <button type="button" className="button" onClick={reset}>
          Try again
        </button>
      </div>
    </div>
  );
}
