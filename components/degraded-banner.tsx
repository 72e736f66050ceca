'use client';

import { useQuery } from '@tanstack/react-query';

interface HealthBody {
  status: 'ok' | 'unavailable';
  error?: string;
}

/**
 * Every page says so when the database is away (the APIs answer 503 meanwhile), and clears itself
 * when it is back: the health check is polled every 10 s, faster while degraded. The first check
 * waits those 10 s, so a page's first view asks the API for nothing (its data came with the HTML;
 * when the database was away for that, the page's own panels already say so).
 */
export function DegradedBanner() {
  const { data } = useQuery({
    queryKey: ['health-banner'],
    queryFn: async (): Promise<HealthBody> => {
      try {
        const response = await fetch('/api/health', { cache: 'no-store' });
        return ((await response.json().catch(() => null)) as HealthBody | null) ?? { status: 'unavailable' };
      } catch {
        return { status: 'unavailable', error: 'the server does not answer' };
      }
    },
    initialData: { status: 'ok' },
    initialDataUpdatedAt: () => Date.now(),
    staleTime: 10_000,
    refetchInterval: (query) => (query.state.data?.status === 'unavailable' ? 3_000 : 10_000),
    retry: false,
  });
  if (data?.status !== 'unavailable') return null;
  return (
    <div role="status" className="degraded" data-testid="degraded-banner">
      <strong>Degraded:</strong> the database is not answering, so data is unavailable for now. This page retries by itself.
    </div>
  );
}
