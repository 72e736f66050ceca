'use client';

import type { ReactNode } from 'react';
import { formatDateTime } from '../ui/format';

export interface ReadoutItem {
  label: string;
  value: ReactNode;
  color?: string;
}

/** A pane's hovered values, pinned to its top-left corner (a floating box would hide the candles). */
export function PinnedReadout({ time, items }: { time?: number; items: ReadoutItem[] }) {
  return (
    <div className="pin-tip">
      {time !== undefined && <b>{formatDateTime(time)}</b>}{' '}
      {items.map((item, i) => (
        <span key={`${item.label}-${i}`} style={{ marginRight: 10 }}>
          {item.label} <span style={{ color: item.color ?? 'var(--text)' }}>{item.value}</span>{' '}
        </span>
      ))}
    </div>
  );
}
