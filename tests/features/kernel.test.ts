import { describe, expect, it } from 'vitest';
import {
  allocateFeatureColumns,
  computeFeatureColumns,
  engineStateLayout,
  FEATURE_COLUMNS,
  OhlcvFeatureEngine,
  restoreEngineState,
  runFeatureColumns,
  saveEngineState,
  toCandleColumns,
  type FeatureColumnArrays,
} from '@/lib/features';
import { BINANCE_FILES, hasBinanceData } from '../helpers/shared';
import { loadBinanceCandles, loadGolden, randomCandles } from './data';

/** First (row, column) where two column sets differ bit for bit (NaN equals NaN). */
function firstDifference(a: FeatureColumnArrays, b: FeatureColumnArrays): string | null {
  for (let c = 0; c < a.length; c++) {
    for (let i = 0; i < a[c]!.length; i++) {
      if (!Object.is(a[c]![i], b[c]![i])) return `row ${i} ${FEATURE_COLUMNS[c]}: ${a[c]![i]} vs ${b[c]![i]}`;
    }
  }
  return null;
}

/** The streaming path, candle by candle, as columns. */
function stepped(engine: OhlcvFeatureEngine, candles: ReturnType<typeof randomCandles>, out = allocateFeatureColumns(candles.length)) {
  candles.forEach((candle, i) => {
    engine.step(candle);
    engine.values.forEach((value, c) => (out[c]![i] = value));
  });
  return out;
}

describe('column kernel', () => {
  const { candles } = loadGolden();

  it('computes what stepping candle by candle computes, bit for bit', () => {
    expect(firstDifference(computeFeatureColumns(toCandleColumns(candles)), stepped(new OhlcvFeatureEngine(), candles))).toBeNull();
  });

  it('gives the same bits when a series arrives in batches of any size, mixed with single steps', () => {
    const input = toCandleColumns(candles);
    const whole = computeFeatureColumns(input);
    for (const sizes of [[1, 2, 3, 30], [7], [250, 1], [13, 5]]) {
      const engine = new OhlcvFeatureEngine();
      const out = allocateFeatureColumns(candles.length);
      for (let from = 0, k = 0; from < candles.length; k++) {
        const to = Math.min(candles.length, from + sizes[k % sizes.length]!);
        if (k % 3 === 2) {
          // A single streaming step in between: the kernel and the stream share one state.
          engine.step(candles[from]!);
          engine.values.forEach((value, c) => (out[c]![from] = value));
          from += 1;
        } else {
          runFeatureColumns(engine, input, out, from, to);
          from = to;
        }
      }
      expect(firstDifference(out, whole), `batch sizes ${sizes}`).toBeNull();
    }
  });

  it('refuses a bad candle before changing any state', () => {
    const input = toCandleColumns(randomCandles(50));
    input.close[30] = -1;
    const engine = new OhlcvFeatureEngine();
    const before = saveEngineState(engine).state;
    expect(() => runFeatureColumns(engine, input, allocateFeatureColumns(50))).toThrow(/invalid values/);
    expect(saveEngineState(engine).state).toEqual(before);
    input.close[30] = input.open[30]!;
    input.timestamp[30] = input.timestamp[29]!;
    expect(() => runFeatureColumns(engine, input, allocateFeatureColumns(50))).toThrow(/ascending time order/);
  });
});

describe('engine checkpoints', () => {
  const series = hasBinanceData('engine checkpoints') ? loadBinanceCandles(BINANCE_FILES[0]) : randomCandles(20_000);

  it('a restored engine continues bit-identically to the one that never stopped', () => {
    const whole = computeFeatureColumns(toCandleColumns(series));
    for (const cut of [1, 13, 30, 250, 1_000, series.length - 500]) {
      const first = new OhlcvFeatureEngine();
      runFeatureColumns(first, toCandleColumns(series.slice(0, cut)), allocateFeatureColumns(cut));
      // Through bytes, as the database stores it.
      const saved = saveEngineState(first);
      const bytes = Buffer.from(saved.state.buffer);
      const state = new Float64Array(new Uint8Array(bytes).buffer);
      const restored = restoreEngineState({ layout: saved.layout, lastTimestamp: saved.lastTimestamp, state });
      expect(restored).not.toBeNull();
      const rest = series.slice(cut, cut + 500);
      const out = stepped(restored!, rest);
      const expected = whole.map((column) => column.slice(cut, cut + 500));
      expect(firstDifference(out, expected), `cut at ${cut}`).toBeNull();
    }
  });

  it('refuses a checkpoint written by other code or for another candle', () => {
    const engine = new OhlcvFeatureEngine();
    series.slice(0, 40).forEach((candle) => engine.step(candle));
    const saved = saveEngineState(engine);
    expect(saved.layout).toBe(engineStateLayout());
    expect(restoreEngineState({ ...saved, layout: 'ohlcv-v0/0000' })).toBeNull();
    expect(restoreEngineState({ ...saved, state: saved.state.subarray(1) })).toBeNull();
    expect(restoreEngineState({ ...saved, lastTimestamp: saved.lastTimestamp - 1 })).toBeNull();
  });
});
