import { MIN_THRESHOLD, VOLATILITY_WINDOW, type LabelSpec, type LabelType } from './definitions';
import { durationMs, isDuration } from '@/lib/market/time';

/**
 * The label definitions of ./definitions.ts as pure functions: candles in, a label or null out.
 * Null means "not defined here": a candle it needs is missing.
 */
export interface LabelCandle {
  /** Open time, unix ms. */
  timestamp: number;
  close: number;
  isSimulated: boolean;
}

export interface ComputedLabel {
  type: LabelType;
  /** The spec that produced it, and its threshold multiplier (stored with the label). */
  spec: string;
  thresholdK: number;
  /** sector_rotation: the symbols compared (BTC first); set by the generator. */
  basket?: readonly string[];
  timestamp: number;
  horizon: string;
  futureTimestamp: number;
  value: string;
  confidence: number;
  realizedReturn: number;
  isSimulated: boolean;
}

/** A candle series keyed by open time, on a grid of `stepMs`. */
export class CandleSeries {
  private readonly byTime: Map<number, LabelCandle>;

  constructor(
    candles: readonly LabelCandle[],
    readonly stepMs: number,
  ) {
    this.byTime = new Map(candles.map((c) => [c.timestamp, c]));
  }

  /** The candles from `first` to `last` steps after t (inclusive), or null if any is missing. */
  range(t: number, first: number, last: number): LabelCandle[] | null {
    const out: LabelCandle[] = [];
    for (let k = first; k <= last; k++) {
      const candle = this.byTime.get(t + k * this.stepMs);
      if (!candle) return null;
      out.push(candle);
    }
    return out;
  }
}

function populationStd(values: readonly number[]): number {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
}

/** σ known at t: std of the last 24 one-candle log returns up to candle t (candles t−24 … t). */
export function volatilityKnownAt(series: CandleSeries, t: number): { sigma: number; candles: LabelCandle[] } | null {
  const candles = series.range(t, -VOLATILITY_WINDOW, 0);
  if (!candles) return null;
  const returns = candles.slice(1).map((c, j) => Math.log(c.close / candles[j]!.close));
  return { sigma: populationStd(returns), candles };
}

/**
 * Confidence of a three-class threshold label: the margin beyond (or, for the middle class,
 * inside) the threshold in units of the threshold, clipped to [0, 1].
 */
export function thresholdConfidence(x: number, threshold: number): number {
  const margin = Math.abs(Math.abs(x) - threshold) / threshold;
  return Math.min(1, margin);
}

function horizonCandles(horizonMs: number, stepMs: number): number {
  const n = horizonMs / stepMs;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`a horizon of ${horizonMs} ms is not a whole number of ${stepMs} ms candles`);
  return n;
}

export function horizonMs(horizon: string): number {
  if (!isDuration(horizon)) throw new RangeError(`horizon "${horizon}" must look like 4h, 12h, 1d`);
  return durationMs(horizon);
}

const CLASSES: Record<'price_direction' | 'market_regime', [up: string, down: string, middle: string]> = {
  price_direction: ['up', 'down', 'flat'],
  market_regime: ['bullish', 'bearish', 'sideways'],
};

/** price_direction and market_regime at t: the return over the horizon against σ·√n. */
export function thresholdLabel(series: CandleSeries, t: number, spec: LabelSpec & { type: 'price_direction' | 'market_regime' }): ComputedLabel | null {
  const n = horizonCandles(horizonMs(spec.horizon), series.stepMs);
  const vol = volatilityKnownAt(series, t);
  const outcome = series.range(t, 1, n);
  if (!vol || !outcome) return null;
  const c0 = vol.candles[vol.candles.length - 1]!.close;
  const cn = outcome[outcome.length - 1]!.close;
  const x = Math.log(cn / c0);
  const threshold = Math.max(spec.thresholdK * vol.sigma * Math.sqrt(n), MIN_THRESHOLD);
  const [up, down, middle] = CLASSES[spec.type];
  return {
    type: spec.type,
    spec: spec.name,
    thresholdK: spec.thresholdK,
    timestamp: t,
    horizon: spec.horizon,
    futureTimestamp: t + n * series.stepMs,
    value: x > threshold ? up : x < -threshold ? down : middle,
    confidence: thresholdConfidence(x, threshold),
    realizedReturn: cn / c0 - 1,
    isSimulated: [...vol.candles, ...outcome].some((c) => c.isSimulated),
  };
}

/** sector_rotation at t: BTC's return against the equal-weighted altcoin basket. */
export function sectorRotationLabel(btc: CandleSeries, alts: readonly CandleSeries[], t: number, spec: LabelSpec): ComputedLabel | null {
  if (!alts.length) return null;
  const n = horizonCandles(horizonMs(spec.horizon), btc.stepMs);
  const windows = [btc, ...alts].map((s) => s.range(t, -VOLATILITY_WINDOW, n));
  if (windows.some((w) => w === null)) return null;
  const [btcWindow, ...altWindows] = windows as LabelCandle[][];
  // Index VOLATILITY_WINDOW is candle t; the last index is candle t + n.
  const simple = (w: LabelCandle[], from: number, to: number) => w[to]!.close / w[from]!.close - 1;
  const spreadAt = (from: number, to: number) => simple(btcWindow!, from, to) - altWindows.reduce((s, w) => s + simple(w, from, to), 0) / altWindows.length;

  const spreads: number[] = [];
  for (let j = 1; j <= VOLATILITY_WINDOW; j++) spreads.push(spreadAt(j - 1, j));
  const d = spreadAt(VOLATILITY_WINDOW, VOLATILITY_WINDOW + n);
  const scale = Math.max(spec.thresholdK * populationStd(spreads) * Math.sqrt(n), MIN_THRESHOLD);
  return {
    type: 'sector_rotation',
    spec: spec.name,
    thresholdK: spec.thresholdK,
    timestamp: t,
    horizon: spec.horizon,
    futureTimestamp: t + n * btc.stepMs,
    value: d >= 0 ? 'btc_dominance' : 'altcoin_rotation',
    confidence: Math.min(1, Math.abs(d) / scale),
    realizedReturn: d,
    isSimulated: windows.some((w) => w!.some((c) => c.isSimulated)),
  };
}
