import { durationMs, MINUTE_MS } from '@/lib/market/time';

/**
 * When a number on the dashboard turns amber or red. Pure and shared by the read models and the
 * pages, so a status means the same thing everywhere and the quality page can print the rules.
 */
export type Status = 'ok' | 'warn' | 'bad' | 'none';

export interface RateThreshold {
  label: string;
  /** Rates at or above these turn amber / red. */
  warn: number;
  bad: number;
}

export const THRESHOLDS = {
  fallbackRate: { label: 'Fallback rate (attempts served by the simulator)', warn: 0.02, bad: 0.1 },
  simulatedRate: { label: 'Simulated share of stored candles', warn: 0.01, bad: 0.05 },
  missingRate: { label: 'Missing candles (gaps) in the window', warn: 0.001, bad: 0.01 },
  quarantineRate: { label: 'Quarantined rows per stored row', warn: 0.001, bad: 0.01 },
} as const satisfies Record<string, RateThreshold>;

export function rateStatus(rate: number | null, threshold: RateThreshold): Status {
  if (rate === null || !Number.isFinite(rate)) return 'none';
  return rate >= threshold.bad ? 'bad' : rate >= threshold.warn ? 'warn' : 'ok';
}

/** A collector may run a few minutes after a candle closes; this much slack is still on time. */
export const FRESHNESS_SLACK_MS = 5 * MINUTE_MS;
/** Candles a series may fall behind before it turns red (amber from the first missed one). */
export const FRESHNESS_BAD_CANDLES = 3;

export interface Freshness {
  /** Time since the newest stored candle closed (open + timeframe); null when nothing is stored. */
  lagMs: number | null;
  /** Whole candles that should exist after the newest one by now. */
  missedCandles: number | null;
  status: Status;
}

/** How late a series is: its newest candle against what a timeframe-paced schedule would have stored by `now`. */
export function freshness(newest: number | null, timeframe: string, now: number): Freshness {
  if (newest === null) return { lagMs: null, missedCandles: null, status: 'none' };
  const size = durationMs(timeframe);
  const lagMs = Math.max(0, now - (newest + size));
  // Candle k after the newest closes at newest + (k + 1) * size; count those due (with slack) by now.
  const missedCandles = Math.max(0, Math.floor((lagMs - FRESHNESS_SLACK_MS) / size));
  const status: Status = missedCandles === 0 ? 'ok' : missedCandles <= FRESHNESS_BAD_CANDLES ? 'warn' : 'bad';
  return { lagMs, missedCandles, status };
}
