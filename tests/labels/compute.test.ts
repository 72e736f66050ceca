import { describe, expect, it } from 'vitest';
import { CandleSeries, sectorRotationLabel, thresholdConfidence, thresholdLabel, type LabelCandle } from '@/lib/labels/compute';
import { DEFAULT_LABEL_SPECS, type LabelSpec } from '@/lib/labels/definitions';
import { seededRandom } from '@/lib/market/random';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);
const T = T0 + 24 * H; // the labelled candle: 24 returns of history before it

/** 25 history candles whose 24 log returns alternate +0.01/−0.01 (σ = 0.01, c_0 = 100), then the outcome closes. */
function series(outcome: number[], history = alternating(0.01), simulatedAt: number[] = []): CandleSeries {
  const closes = [...history, ...outcome];
  const candles: LabelCandle[] = closes.map((close, i) => ({ timestamp: T0 + i * H, close, isSimulated: simulatedAt.includes(T0 + i * H) }));
  return new CandleSeries(candles, H);
}

function alternating(step: number): number[] {
  const closes = [100];
  for (let j = 1; j <= 24; j++) closes.push(closes[j - 1]! * Math.exp(j % 2 ? step : -step));
  return closes;
}

const after = (logReturn: number, n: number) => [...Array(n - 1).fill(100.5), 100 * Math.exp(logReturn)];
const direction = DEFAULT_LABEL_SPECS.price_direction as LabelSpec & { type: 'price_direction' };
const regime = DEFAULT_LABEL_SPECS.market_regime as LabelSpec & { type: 'market_regime' };

describe('price_direction (4 candles, threshold 0.5·σ·√4 = 0.01 here)', () => {
  it('up beyond the threshold, with confidence from the margin', () => {
    const label = thresholdLabel(series(after(0.015, 4)), T, direction)!;
    expect(label).toMatchObject({ type: 'price_direction', timestamp: T, horizon: '4h', futureTimestamp: T + 4 * H, value: 'up', isSimulated: false });
    expect(label.confidence).toBeCloseTo(0.5, 12);
    expect(label.realizedReturn).toBeCloseTo(Math.exp(0.015) - 1, 12);
  });

  it('down, confidence capped at 1 once the move is twice the threshold', () => {
    const label = thresholdLabel(series(after(-0.03, 4)), T, direction)!;
    expect([label.value, label.confidence]).toEqual(['down', 1]);
  });

  it('flat inside the threshold: most confident when nothing moved', () => {
    const label = thresholdLabel(series(after(0.004, 4)), T, direction)!;
    expect(label.value).toBe('flat');
    expect(label.confidence).toBeCloseTo(0.6, 12);
    expect(thresholdLabel(series(after(0, 4)), T, direction)!.confidence).toBeCloseTo(1, 12);
  });

  it('a calmer history makes the same move count as up, a wilder one as flat (volatility-scaled)', () => {
    expect(thresholdLabel(series(after(0.008, 4), alternating(0.005)), T, direction)!.value).toBe('up');
    expect(thresholdLabel(series(after(0.008, 4), alternating(0.02)), T, direction)!.value).toBe('flat');
  });

  it('confidence stays in [0, 1] for any move and threshold', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 1000; i++) {
      const c = thresholdConfidence((random() - 0.5) * 0.2, 1e-4 + random() * 0.05);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(1);
    }
  });
});

describe('market_regime (12 candles, threshold 1.0·σ·√12)', () => {
  const theta = 0.01 * Math.sqrt(12);
  it('bullish beyond one standard deviation of the 12-hour return', () => {
    const label = thresholdLabel(series(after(0.05, 12)), T, regime)!;
    expect([label.value, label.horizon, label.futureTimestamp]).toEqual(['bullish', '12h', T + 12 * H]);
    expect(label.confidence).toBeCloseTo((0.05 - theta) / theta, 12);
  });
  it('bearish and sideways', () => {
    expect(thresholdLabel(series(after(-0.05, 12)), T, regime)!.value).toBe('bearish');
    const sideways = thresholdLabel(series(after(-0.02, 12)), T, regime)!;
    expect(sideways.value).toBe('sideways');
    expect(sideways.confidence).toBeCloseTo((theta - 0.02) / theta, 12);
  });
});

describe('sector_rotation (6 candles, BTC against the equal-weighted altcoins)', () => {
  const spec = DEFAULT_LABEL_SPECS.sector_rotation;
  const flat = Array(25).fill(50);
  // BTC's history alternates ±1% (log), the altcoins' is flat: the spread is BTC's simple return.
  const spreads = alternating(0.01).slice(1).map((c, j) => c / alternating(0.01)[j]! - 1);
  const spreadStd = Math.sqrt(spreads.reduce((s, x) => s + (x - spreads.reduce((a, b) => a + b) / 24) ** 2, 0) / 24);
  const outcome = (start: number, total: number) => [...Array(5).fill(start), start * (1 + total)];

  it('btc_dominance when BTC beat the basket, confidence from the spread in units of its volatility', () => {
    const btc = series(outcome(100, 0.01));
    const alts = [new CandleSeries([...flat, ...outcome(50, 0.005)].map((close, i) => ({ timestamp: T0 + i * H, close, isSimulated: false })), H), new CandleSeries([...flat, ...outcome(50, 0.005)].map((close, i) => ({ timestamp: T0 + i * H, close, isSimulated: false })), H)];
    const label = sectorRotationLabel(btc, alts, T, spec)!;
    expect(label.value).toBe('btc_dominance');
    expect(label.realizedReturn).toBeCloseTo(0.01 - 0.005, 12);
    expect(label.confidence).toBeCloseTo(0.005 / (spreadStd * Math.sqrt(6)), 10);
    expect(label.futureTimestamp).toBe(T + 6 * H);
  });

  it('altcoin_rotation when the basket beat BTC', () => {
    const alt = (total: number) => new CandleSeries([...flat, ...outcome(50, total)].map((close, i) => ({ timestamp: T0 + i * H, close, isSimulated: false })), H);
    const label = sectorRotationLabel(series(outcome(100, 0)), [alt(0.02), alt(0.04)], T, spec)!;
    expect(label.value).toBe('altcoin_rotation');
    expect(label.realizedReturn).toBeCloseTo(-0.03, 12);
    expect(label.confidence).toBe(1);
    expect(sectorRotationLabel(series(outcome(100, 0)), [], T, spec)).toBeNull();
  });
});

describe('what a label may depend on', () => {
  function wandering(seed: number, count: number): LabelCandle[] {
    const random = seededRandom(seed);
    let close = 100;
    return Array.from({ length: count }, (_, i) => ({ timestamp: T0 + i * H, close: (close *= Math.exp((random() - 0.5) * 0.03)), isSimulated: false }));
  }
  const t = T0 + 40 * H;
  const specs = [direction, regime];

  it('only candles in [t − 24, t + horizon] matter: changing anything outside changes no label', () => {
    const candles = wandering(5, 100);
    const random = seededRandom(9);
    const perturbed = candles.map((c) => (c.timestamp < t - 24 * H || c.timestamp > t + 12 * H ? { ...c, close: c.close * (0.5 + random()) } : c));
    for (const spec of specs) {
      expect(thresholdLabel(new CandleSeries(perturbed, H), t, spec)).toEqual(thresholdLabel(new CandleSeries(candles, H), t, spec));
    }
    const alts = [wandering(6, 100), wandering(7, 100)];
    const perturbAlt = (cs: LabelCandle[]) => cs.map((c) => (c.timestamp < t - 24 * H || c.timestamp > t + 6 * H ? { ...c, close: c.close * (0.5 + random()) } : c));
    expect(sectorRotationLabel(new CandleSeries(perturbed, H), alts.map((a) => new CandleSeries(perturbAlt(a), H)), t, DEFAULT_LABEL_SPECS.sector_rotation)).toEqual(
      sectorRotationLabel(new CandleSeries(candles, H), alts.map((a) => new CandleSeries(a, H)), t, DEFAULT_LABEL_SPECS.sector_rotation),
    );
  });

  it('the outcome and the volatility window do matter (the test above could fail)', () => {
    const candles = wandering(5, 100);
    const base = thresholdLabel(new CandleSeries(candles, H), t, direction)!;
    const outcomeMoved = candles.map((c) => (c.timestamp === t + 4 * H ? { ...c, close: c.close * 1.2 } : c));
    expect(thresholdLabel(new CandleSeries(outcomeMoved, H), t, direction)!.realizedReturn).not.toBe(base.realizedReturn);
    const oldestReturnMoved = candles.map((c) => (c.timestamp === t - 24 * H ? { ...c, close: c.close * 1.05 } : c));
    expect(thresholdLabel(new CandleSeries(oldestReturnMoved, H), t, direction)!.confidence).not.toBe(base.confidence);
  });

  it('a gap anywhere in the window means no label; a simulated candle in it makes the label simulated', () => {
    const candles = wandering(5, 100);
    expect(thresholdLabel(new CandleSeries(candles.filter((c) => c.timestamp !== t + 2 * H), H), t, direction)).toBeNull();
    expect(thresholdLabel(new CandleSeries(candles.filter((c) => c.timestamp !== t - 24 * H), H), t, direction)).toBeNull();
    const mark = (at: number) => candles.map((c) => (c.timestamp === at ? { ...c, isSimulated: true } : c));
    expect(thresholdLabel(new CandleSeries(mark(t - 24 * H), H), t, direction)!.isSimulated).toBe(true);
    expect(thresholdLabel(new CandleSeries(mark(t + 4 * H), H), t, direction)!.isSimulated).toBe(true);
    expect(thresholdLabel(new CandleSeries(mark(t + 5 * H), H), t, direction)!.isSimulated).toBe(false);
    expect(thresholdLabel(new CandleSeries(mark(t - 25 * H), H), t, direction)!.isSimulated).toBe(false);
  });
});
