'use client';

import { RANGE_KEYS, RANGE_LABELS, type RangeKey } from '@/lib/market/range';

/** Small controlled inputs shared by the pages' toolbars. */
export function Segmented<T extends string>({ label, options, value, onChange }: { label: string; options: readonly { value: T; label: string }[]; value: T; onChange: (value: T) => void }) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((option) => (
        <button key={option.value} type="button" aria-pressed={option.value === value} onClick={() => onChange(option.value)}>
          {option.label}
        </button>
      ))}
    </div>
  );
}

export function SelectField({ label, value, options, onChange, testId }: { label: string; value: string; options: readonly string[]; onChange: (value: string) => void; testId?: string }) {
  return (
    <label className="field">
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)} data-testid={testId}>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    </label>
  );
}

/** The range switch of every page, from the one list of ranges. */
export const RANGE_OPTIONS: readonly { value: RangeKey; label: string }[] = RANGE_KEYS.map((value) => ({ value, label: RANGE_LABELS[value] }));

/** Newest-first paging under a table: where we are, what it holds, and the two steps. */
export function Pager({ page, pages, onPage, testId, children }: { page: number; pages: number; onPage: (page: number) => void; testId: string; children: React.ReactNode }) {
  return (
    <div className="toolbar" style={{ marginTop: 10, marginBottom: 0, justifyContent: 'space-between' }}>
      <span className="hint" data-testid={testId}>
        Page {page} of {pages} · {children}
      </span>
      <span style={{ display: 'flex', gap: 6 }}>
        <button type="button" className="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          ← Newer
        </button>
        <button type="button" className="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          Older →
        </button>
      </span>
    </div>
  );
}
