'use client';

import { useCallback, useRef, useState } from 'react';

/**
 * Page state mirrored in the query string, so a chart is a link a colleague can open. Replaces the
 * history entry (Next.js keeps useSearchParams in sync with history.replaceState).
 */
export function useUrlState<T extends Record<string, string | undefined>>(initial: T): [T, (patch: Partial<T>) => void] {
  const [state, setState] = useState(initial);
  const current = useRef(state);
  const update = useCallback((patch: Partial<T>) => {
    const next = { ...current.current, ...patch };
    current.current = next;
    const params = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined || value === '') params.delete(key);
      else params.set(key, value);
    }
    window.history.replaceState(window.history.state, '', `${window.location.pathname}?${params.toString()}`);
    setState(next);
  }, []);
  return [state, update];
}
