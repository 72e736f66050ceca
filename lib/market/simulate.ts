import type { Candle } from './candle';
import { normal, seededRandom, type Random } from './random';
import { timeframeMs } from './timeframe';
import { DAY_MS } from './time';
import { DomainError, type DomainErrorOptions } from '../errors';

/**
 * Fallback candles when a source fails: a plausible continuation of the last stored price, never
 * mistaken for real (the storage layer marks them source = 'simulated'). Pure: history, open
 * times and a seed in, candles out.
 *
 * Model, per candle: a regime (ranging, trending up, trending down) that persists for tens of
 * candles; GARCH(1,1) volatility, so calm and wild stretches cluster as in real markets; rare
 * larger shocks for fat tails; wicks beyond open/close; volume around the recent median, higher
 * when the candle moves more.
 */
export interface SimulationOptions {
  timeframe: string;
  seed: number;
}

type Regime = 'range' | 'up' | 'down';

const YEAR_MS = 365 * DAY_MS;
// Used when there is too little history to measure: a typical large-cap crypto volatility.
const DEFAULT_ANNUAL_VOLATILITY = 0.6;
const MIN_HISTORY_FOR_ESTIMATE = 20;
const ESTIMATE_WINDOW = 500;
const MEAN_REGIME_LENGTH = 48;
// Per-candle drift of a trend, in units of volatility: about 5% over an average hourly trend.
const TREND_DRIFT = 0.1;
const GARCH_ALPHA = 0.08;
const GARCH_BETA = 0.9;
const SHOCK_PROBABILITY = 0.02;
const SHOCK_SCALE = 3;
// Rescales the mixture of ordinary and large shocks back to unit variance.
const MIXTURE_NORM = Math.sqrt(1 + SHOCK_PROBABILITY * (SHOCK_SCALE * SHOCK_SCALE - 1));
// Keeps every simulated step far inside the validation's jump limit.
const MAX_LOG_STEP = 0.15;

export class SimulationError extends DomainError {
  override name = 'SimulationError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

/** Per-candle volatility of log closes over the recent past, or a default scaled to the timeframe. */
export function estimateVolatility(history: readonly Candle[], timeframe: string): number {
  const recent = history.slice(-ESTIMATE_WINDOW - 1);
  const returns: number[] = [];
  for (let i = 1; i < recent.length; i++) returns.push(Math.log(recent[i]!.close / recent[i - 1]!.close));
  if (returns.length >= MIN_HISTORY_FOR_ESTIMATE) {
    const mean = returns.reduce((sum, r) => sum + r, 0) / returns.length;
    const variance = returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / returns.length;
    if (variance > 0) return Math.sqrt(variance);
  }
  return DEFAULT_ANNUAL_VOLATILITY * Math.sqrt(timeframeMs(timeframe) / YEAR_MS);
}

function medianVolume(history: readonly Candle[]): number {
  const volumes = history.slice(-ESTIMATE_WINDOW).map((c) => c.volume).filter((v) => v > 0).sort((a, b) => a - b);
  return volumes.length ? volumes[Math.floor(volumes.length / 2)]! : 1;
}

function nextRegime(current: Regime, random: Random): Regime {
  if (random() >= 1 / MEAN_REGIME_LENGTH) return current;
  const roll = random();
  // Markets range more often than they trend.
  return roll < 0.5 ? 'range' : roll < 0.75 ? 'up' : 'down';
}

export function simulateCandles(history: readonly Candle[], openTimes: readonly number[], options: SimulationOptions): Candle[] {
  const last = history[history.length - 1];
  if (!last) throw new SimulationError('cannot simulate without a previous candle to continue from');
  const size = timeframeMs(options.timeframe);
  const random = seededRandom(options.seed);
  const sigma = estimateVolatility(history, options.timeframe);
  const baseVolume = medianVolume(history);
  const longRunVariance = sigma * sigma;
  const omega = longRunVariance * (1 - GARCH_ALPHA - GARCH_BETA);

  let regime: Regime = 'range';
  let variance = longRunVariance;
  let previousShock = 0;
  let close = last.close;
  let previousTime = last.timestamp;
  // Ranging stretches pull back toward where the range started.
  let anchor = close;
  const candles: Candle[] = [];

  for (const timestamp of openTimes) {
    if (timestamp <= previousTime) throw new SimulationError('open times must be ascending and after the last candle');
    const steps = Math.max(1, Math.round((timestamp - previousTime) / size));
    const changed = nextRegime(regime, random);
    if (changed !== regime && changed === 'range') anchor = close;
    regime = changed;

    variance = omega + GARCH_ALPHA * previousShock * previousShock + GARCH_BETA * variance;
    const stepSigma = Math.sqrt(variance * steps);
    const drift = regime === 'up' ? TREND_DRIFT * stepSigma : regime === 'down' ? -TREND_DRIFT * stepSigma : -0.05 * Math.log(close / anchor);
    const z = normal(random);
    const scale = (random() < SHOCK_PROBABILITY ? SHOCK_SCALE : 1) / MIXTURE_NORM;
    const logStep = Math.max(-MAX_LOG_STEP, Math.min(MAX_LOG_STEP, drift + z * stepSigma * scale));
    // The variance recursion sees the ordinary shock only, so rare large shocks do not ratchet it up.
    previousShock = z * Math.sqrt(variance);

    const open = close;
    close = open * Math.exp(logStep);
    const wickUp = Math.abs(normal(random)) * stepSigma * 0.5;
    const wickDown = Math.abs(normal(random)) * stepSigma * 0.5;
    const activity = 0.6 + 0.4 * Math.min(4, Math.abs(logStep) / Math.max(stepSigma, 1e-12));
    candles.push({
      timestamp,
      open,
      high: Math.max(open, close) * Math.exp(wickUp),
      low: Math.min(open, close) * Math.exp(-wickDown),
      close,
      volume: baseVolume * steps * activity * Math.exp(0.35 * normal(random) - 0.06),
    });
    previousTime = timestamp;
  }
  return candles;
}

/** The source of every simulated row; the table's CHECK ties it to is_simulated. */
export const SIMULATED_SOURCE = 'simulated';
