import { BollingerBands, EMA, SMA, StochasticOscillator } from 'trading-signals';
import { describe, expect, it } from 'vitest';
import { computeOhlcvFeatures } from '@/lib/features';
import { loadGolden, relativeError } from './data';

/**
 * trading-signals is the project's reference indicator library. Where it computes the same thing
 * as TA-Lib, our (faster) kernels must agree with it too; this cross-checks those.
 */
describe('agreement with trading-signals where it matches TA-Lib', () => {
  const { candles } = loadGolden();
  const rows = computeOhlcvFeatures(candles);
  const closes = candles.map((c) => c.close);

  function worstError(ours: (number | null)[], theirs: (number | null)[], from = 0): number {
    let worst = 0;
    for (let i = from; i < ours.length; i++) {
      if (ours[i] === null || theirs[i] === null) {
        if (ours[i] !== theirs[i]) return Infinity;
        continue;
      }
      worst = Math.max(worst, relativeError(theirs[i]!, ours[i]!));
    }
    return worst;
  }

  it('Bollinger bands (20, 2)', () => {
    const bands = new BollingerBands(20, 2);
    const theirs = closes.map((c) => bands.add(c));
    expect(worstError(rows.map((r) => r.bollinger_upper), theirs.map((b) => b?.upper ?? null))).toBeLessThan(1e-9);
    expect(worstError(rows.map((r) => r.bollinger_lower), theirs.map((b) => b?.lower ?? null))).toBeLessThan(1e-9);
  });

  it('slow stochastic (14, 3, 3)', () => {
    const stochastic = new StochasticOscillator({ kPeriod: 14, kSlowingPeriod: 3, dPeriod: 3 });
    const theirs = candles.map((c) => stochastic.add(c));
    expect(worstError(rows.map((r) => r.stoch_k), theirs.map((s) => s?.stochK ?? null))).toBeLessThan(1e-9);
    expect(worstError(rows.map((r) => r.stoch_d), theirs.map((s) => s?.stochD ?? null))).toBeLessThan(1e-9);
  });

  it('SMA(200) behind dist_sma_200', () => {
    const sma = new SMA(200);
    const theirs = closes.map((c) => {
      const average = sma.add(c);
      return average === null ? null : c / average - 1;
    });
    expect(worstError(rows.map((r) => r.dist_sma_200), theirs)).toBeLessThan(1e-12);
  });

  it('EMA(20) behind dist_ema_20, once its different seed (first price) has decayed', () => {
    const ema = new EMA(20);
    const theirs = closes.map((c) => c / ema.add(c)! - 1);
    expect(worstError(rows.map((r) => r.dist_ema_20), theirs, 300)).toBeLessThan(1e-9);
    expect(worstError(rows.map((r) => r.dist_ema_20), theirs, 19)).toBeGreaterThan(1e-9);
  });
});
