import { describe, expect, it } from 'vitest';
import type { Candle } from '@/lib/market/candle';
import { estimateVolatility, simulateCandles } from '@/lib/market/simulate';
import { validateCandles } from '@/lib/market/validate';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** A history with known per-candle volatility (1%), from an independent generator. */
function history(count: number, sigma = 0.01): Candle[] {
  let state = 7;
  const uniform = () => ((state = (state * 48271) % 2147483647) / 2147483647);
  const candles: Candle[] = [];
  let close = 40_000;
  for (let i = 0; i < count; i++) {
    const open = close;
    // Sum of 12 uniforms − 6 is close to a standard normal.
    let z = -6;
    for (let k = 0; k < 12; k++) z += uniform();
    close = open * Math.exp(sigma * z);
    candles.push({ timestamp: T0 + i * H, open, high: Math.max(open, close) * 1.002, low: Math.min(open, close) * 0.998, close, volume: 100 + 50 * uniform() });
  }
  return candles;
}

const logReturns = (candles: readonly Candle[]) => candles.slice(1).map((c, i) => Math.log(c.close / candles[i]!.close));
const std = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
};

describe('simulateCandles', () => {
  const past = history(600);
  const last = past[past.length - 1]!;
  const times = Array.from({ length: 3000 }, (_, i) => last.timestamp + (i + 1) * H);
  const simulated = simulateCandles(past, times, { timeframe: '1h', seed: 42 });

  it('is reproducible from its seed and differs with another seed', () => {
    expect(simulateCandles(past, times, { timeframe: '1h', seed: 42 })).toEqual(simulated);
    expect(simulateCandles(past, times, { timeframe: '1h', seed: 43 })[0]).not.toEqual(simulated[0]);
  });

  it('continues from the last price at the requested open times', () => {
    expect(simulated.map((c) => c.timestamp)).toEqual(times);
    expect(simulated[0]!.open).toBe(last.close);
    for (let i = 1; i < simulated.length; i++) expect(simulated[i]!.open).toBe(simulated[i - 1]!.close);
  });

  it('produces candles that pass validation', () => {
    const result = validateCandles(simulated, { timeframe: '1h', now: times[times.length - 1]! + H, previous: last });
    expect(result.rejected).toEqual([]);
    expect(result.accepted).toHaveLength(times.length);
  });

  it('moves with the volatility of the history it continues', () => {
    expect(estimateVolatility(past, '1h')).toBeCloseTo(0.01, 2);
    const realized = std(logReturns([last, ...simulated]));
    expect(realized).toBeGreaterThan(0.006);
    expect(realized).toBeLessThan(0.016);
  });

  it('clusters volatility and has trending and ranging stretches', () => {
    const returns = logReturns([last, ...simulated]);
    const abs = returns.map(Math.abs);
    const meanAbs = abs.reduce((a, b) => a + b, 0) / abs.length;
    const lag1 = abs.slice(1).reduce((sum, a, i) => sum + (a - meanAbs) * (abs[i]! - meanAbs), 0) / abs.reduce((sum, a) => sum + (a - meanAbs) ** 2, 0);
    expect(lag1).toBeGreaterThan(0.05); // calm and wild stretches, not independent draws

    // Over 48-candle windows, the move relative to its noise: trends make some windows far from 0.
    const scores: number[] = [];
    for (let i = 0; i + 48 <= returns.length; i += 48) {
      const window = returns.slice(i, i + 48);
      scores.push(window.reduce((a, b) => a + b, 0) / (std(window) * Math.sqrt(48)));
    }
    expect(scores.some((s) => s > 1.5)).toBe(true);
    expect(scores.some((s) => s < -1.5)).toBe(true);
    expect(scores.filter((s) => Math.abs(s) < 1).length).toBeGreaterThan(scores.length / 4);
  });

  it('trades a volume around the recent median, more on bigger moves', () => {
    const volumes = simulated.map((c) => c.volume);
    expect(Math.min(...volumes)).toBeGreaterThan(0);
    const sorted = [...volumes].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeGreaterThan(60);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(250);
    const moves = simulated.map((c) => Math.abs(Math.log(c.close / c.open)));
    const big = simulated.filter((_, i) => moves[i]! > 0.015).map((c) => c.volume);
    const small = simulated.filter((_, i) => moves[i]! < 0.003).map((c) => c.volume);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(big)).toBeGreaterThan(mean(small) * 1.3);
  });

  it('needs a candle to continue from', () => {
    expect(() => simulateCandles([], times, { timeframe: '1h', seed: 1 })).toThrow(/previous candle/);
  });
});
