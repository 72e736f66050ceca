import { labelTone } from '@/lib/dashboard/label-values';

const OTHER = ['var(--c1)', 'var(--c2)', 'var(--c3)', 'var(--c4)', 'var(--c5)'];
const TONE = { bearish: 'var(--down)', neutral: 'var(--c6)', bullish: 'var(--up)' } as const;

/** Bearish red, neutral grey, bullish green everywhere; other label values take the palette in order. */
export function labelColors(values: readonly string[]): Record<string, string> {
  let other = 0;
  return Object.fromEntries(values.map((value) => {
    const tone = labelTone(value);
    return [value, tone === 'other' ? OTHER[other++ % OTHER.length]! : TONE[tone]];
  }));
}
