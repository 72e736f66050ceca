import 'server-only';
import { dehydrate, HydrationBoundary, QueryClient, type QueryKey } from '@tanstack/react-query';
import type { ReactNode } from 'react';

export interface ServerQuery {
  key: QueryKey;
  /** The same data the query's API route answers with. */
  load: () => Promise<unknown>;
}

/**
 * A page's first data, loaded on the server and handed to TanStack Query with the HTML: the client
 * components find it under their keys and draw at once, with no request of their own. A load that
 * fails is left out, so its component fetches (and shows the API's error) as it would without this.
 */
export async function Prefetched({ queries, children }: { queries: readonly ServerQuery[]; children: ReactNode }) {
  const client = new QueryClient();
  await Promise.all(
    queries.map(({ key, load }) =>
      // Through JSON, as the API would send it: Dates become the same strings the client parses.
      client.prefetchQuery({ queryKey: key, queryFn: async () => JSON.parse(JSON.stringify(await load())) as unknown }),
    ),
  );
  return <HydrationBoundary state={dehydrate(client)}>{children}</HydrationBoundary>;
}
