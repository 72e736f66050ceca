import { normal, seededRandom, seedFrom } from '@/lib/market/random';
import type { DocumentKind } from './documents';
import { type SentimentSample } from './features';
import { DAY_MS, HOUR_MS } from '../market/time';

/**
 * Stand-ins for a sentiment input whose sources all failed. They keep the features defined and
 * plausible, and the row that uses them lists the input under `simulated_inputs`, so it is never
 * taken for real. Simulated values are never stored as documents or samples. Pure and seeded:
 * the same hour, history and seed give the same values, so re-running a collection changes nothing.
 */

// Fear & Greed moves a few points a day; a standard deviation of 8 keeps simulated days plausible.
const FEAR_GREED_DAILY_STD = 8;
const NEUTRAL_FEAR_GREED = 50;
// Measured on headlines: a large share of them carry no sentiment words at all (compound 0).
const NEUTRAL_SHARE = 0.4;
const COMPOUND_STD = 0.4;
const DEFAULT_PER_HOUR: Record<DocumentKind, number> = { news: 3, social: 10 };
const MAX_PER_HOUR = 30;
const MENTION_PROBABILITY = 0.6;

/** A simulated daily value: the last real value (or 50) plus noise, the same for every hour of a UTC day. */
export function simulateFearGreed(hour: number, lastReal: number | null, seed = 0): number {
  const day = Math.floor(hour / DAY_MS) * DAY_MS;
  const random = seededRandom((seedFrom(`fear_greed|${day}`) ^ seed) >>> 0);
  const value = (lastReal ?? NEUTRAL_FEAR_GREED) + FEAR_GREED_DAILY_STD * normal(random);
  return Math.max(0, Math.min(100, Math.round(value)));
}

export interface DocumentBaseline {
  /** Mean compound of the real documents of this kind in the last 24 hours, if any. */
  meanCompound: number | null;
  /** Real documents of this kind in the last 24 hours. */
  countLastDay: number;
}

/**
 * Simulated scored documents of one kind for the hour (hour, hour + 1h]: as many as an average
 * real hour had (or a default), compounds around the recent real mean, about 40% exactly neutral
 * as real headlines are, each mentioning one of `coins` with probability 0.6.
 */
export function simulateDocuments(kind: DocumentKind, hour: number, coins: readonly string[], baseline: DocumentBaseline, seed = 0): SentimentSample[] {
  const random = seededRandom((seedFrom(`${kind}|${hour}`) ^ seed) >>> 0);
  const perHour = baseline.countLastDay > 0 ? Math.round(baseline.countLastDay / 24) : DEFAULT_PER_HOUR[kind];
  const count = Math.max(1, Math.min(MAX_PER_HOUR, perHour));
  const centre = baseline.meanCompound ?? 0;
  const samples: SentimentSample[] = [];
  for (let i = 0; i < count; i++) {
    const neutral = random() < NEUTRAL_SHARE;
    const draw = Math.max(-1, Math.min(1, centre + COMPOUND_STD * normal(random)));
    const mentioned = coins.length && random() < MENTION_PROBABILITY ? coins[Math.floor(random() * coins.length)] : undefined;
    samples.push({
      kind,
      // Spread over the hour, never at its very start (which belongs to the previous hour).
      publishedAt: hour + Math.floor(((i + 1) / count) * HOUR_MS),
      compound: neutral ? 0 : Math.round(draw * 10_000) / 10_000,
      mentions: mentioned ? { [mentioned]: 1 } : {},
    });
  }
  return samples;
}
