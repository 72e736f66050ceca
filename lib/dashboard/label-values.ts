/**
 * Label values are strings chosen by the label generator ('down'/'flat'/'up', '-1'/'0'/'1',
 * 'sell'/'hold'/'buy', …). Pure and shared with the pages: one order (bearish to bullish) and one
 * colour meaning everywhere.
 */
const BEARISH = ['strong_down', 'strong_sell', 'down', 'sell', 'short', 'bear', 'bearish', 'negative', 'loss', 'stop', 'sl'];
const NEUTRAL = ['flat', 'neutral', 'hold', 'none', 'range', 'sideways', 'timeout', 'timeout_flat', 'vertical'];
const BULLISH = ['up', 'buy', 'long', 'bull', 'bullish', 'positive', 'profit', 'take', 'tp', 'strong_up', 'strong_buy'];

export type LabelTone = 'bearish' | 'neutral' | 'bullish' | 'other';

export function labelTone(value: string): LabelTone {
  const v = value.toLowerCase();
  const n = Number(v);
  if (v !== '' && Number.isFinite(n)) return n < 0 ? 'bearish' : n > 0 ? 'bullish' : 'neutral';
  if (BEARISH.includes(v)) return 'bearish';
  if (NEUTRAL.includes(v)) return 'neutral';
  if (BULLISH.includes(v)) return 'bullish';
  return 'other';
}

const TONE_RANK: Record<LabelTone, number> = { bearish: 0, neutral: 1, bullish: 2, other: 3 };

function rank(value: string): number {
  const v = value.toLowerCase();
  const n = Number(v);
  if (v !== '' && Number.isFinite(n)) return n;
  const lists = [BEARISH, NEUTRAL, BULLISH];
  const tone = labelTone(v);
  const list = lists[TONE_RANK[tone]];
  // Within a tone keep the list order (strong_down before down); unknown values go last.
  return list ? TONE_RANK[tone] * 100 + list.indexOf(v) : 1_000;
}

/** Bearish to bullish (numbers ascending), unknown values last in alphabetical order. */
export function orderLabelValues(values: Iterable<string>): string[] {
  return [...new Set(values)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}
