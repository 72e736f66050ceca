'use client';

import { useEffect } from 'react';

/**
 * The sign-in link `npm start` prints on a first start (…/admin/login#token=…): the token rides in
 * the fragment, which never reaches a server log or a Referer; this fills the form with it, removes
 * it from the address bar and history, and submits.
 */
export function TokenFromLink({ formId }: { formId: string }) {
  useEffect(() => {
    const match = /^#token=([A-Za-z0-9_-]{16,256})$/.exec(window.location.hash);
    if (!match) return;
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    const form = document.getElementById(formId) as HTMLFormElement | null;
    const input = form?.elements.namedItem('token') as HTMLInputElement | null;
    if (!form || !input) return;
    input.value = match[1]!;
    form.requestSubmit();
  }, [formId]);
  return null;
}
