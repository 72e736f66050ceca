/** The quality page's windows; the page (on the server) and the report (in the browser) read the same choice. */
export const DAYS = [
  { value: '7', label: '7D' },
  { value: '30', label: '30D' },
  { value: '90', label: '90D' },
] as const;

export const windowDays = (days: string | undefined): string => (DAYS.some((d) => d.value === days) ? days! : '30');

/** Quarantined rows per page. */
export const QUARANTINE_PAGE_SIZE = 25;
export const GAP_PAGE_SIZE = 25;
