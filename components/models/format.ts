import type { DriftStatus } from '@/lib/models/drift';

/** How the models pages name and colour things. */
export const STATUS_BADGE = { active: 'ok', candidate: 'none', retired: 'warn', failed: 'bad' } as const;
export const DRIFT_BADGE: Record<DriftStatus, 'ok' | 'warn' | 'bad' | 'none'> = { ok: 'ok', amber: 'warn', red: 'bad', too_small: 'none' };
export const DRIFT_LABEL: Record<DriftStatus, string> = { ok: 'stable', amber: 'amber', red: 'red', too_small: 'too small to judge' };
export const CLASS_COLORS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6'];

export const fixed = (value: number | null | undefined, digits = 3) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits));
