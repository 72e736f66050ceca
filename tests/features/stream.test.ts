import { beforeAll, describe, expect, it } from 'vitest';
import {
  computeOhlcvFeatureColumns,
  computeOhlcvFeatures,
  FEATURE_COLUMNS,
  OhlcvFeatureStream,
  RESTORE_HISTORY_CANDLES,
  type OhlcvFeatures,
} from '@/lib/features';
import type { Candle } from '@/lib/market/candle';
import { BINANCE_FILES, hasBinanceData } from '../helpers/shared';
import { loadBinanceCandles, loadGolden, randomCandles, relativeError } from './data';

/** First differing (row, column) between two feature tables, compared bit for bit. */
function firstDifference(a: OhlcvFeatures[], b: OhlcvFeatures[], from = 0): string | null {
  if (a.length !== b.length) return `lengths ${a.length} and ${b.length}`;
  for (let i = from; i < a.length; i++) {
    for (const column of FEATURE_COLUMNS) {
      if (!Object.is(a[i][column], b[i][column])) return `row ${i} ${column}: ${a[i][column]} vs ${b[i][column]}`;
    }
  }
  return null;
}

function streamAll(candles: readonly Candle[]): OhlcvFeatures[] {
  const stream = new OhlcvFeatureStream();
  return candles.map((candle) => stream.update(candle));
}

/** Largest relative difference per column between a restored stream and the full history. */
function restoreErrors(candles: readonly Candle[], full: OhlcvFeatures[], cut: number, history: number, continueFor: number) {
  const restored = OhlcvFeatureStream.fromHistory(candles.slice(cut - history, cut), { obv: full[cut - 1].obv });
  let worst = 0;
  const problems: string[] = [];
  for (let i = cut; i < cut + continueFor; i++) {
    const row = restored.update(candles[i]);
    for (const column of FEATURE_COLUMNS) {
      const expected = full[i][column];
      const actual = row[column];
      if (expected === null || actual === null) {
        if (expected !== actual) problems.push(`row ${i} ${column}: ${expected} vs ${actual}`);
      } else {
        worst = Math.max(worst, relativeError(expected, actual));
      }
    }
  }
  return { worst, problems };
}

describe('streaming and batch', () => {
  const { candles } = loadGolden();

  it('batch rows are the stream’s rows, bit for bit', () => {
    expect(firstDifference(computeOhlcvFeatures(candles), streamAll(candles))).toBeNull();
  });

  it('the columnar batch holds the same numbers as the rows (NaN where a row has null)', () => {
    const rows = computeOhlcvFeatures(candles);
    const columns = computeOhlcvFeatureColumns(candles);
    const fromColumns = rows.map((_, i) =>
      Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, Number.isNaN(columns[c][i]) ? null : columns[c][i]])),
    ) as OhlcvFeatures[];
    expect(firstDifference(rows, fromColumns)).toBeNull();
  });

  it('every row carries exactly the feature columns, in order', () => {
    const row = new OhlcvFeatureStream().update(candles[0]);
    expect(Object.keys(row)).toEqual([...FEATURE_COLUMNS]);
  });

  it('a restored stream continues like the uninterrupted one', () => {
    const full = computeOhlcvFeatures(candles);
    const { worst, problems } = restoreErrors(candles, full, 3000, RESTORE_HISTORY_CANDLES, 2000);
    expect(problems.slice(0, 5)).toEqual([]);
    expect(worst).toBeLessThanOrEqual(1e-10);
  });

  it('too short a history is measurably off, so the restore test above has teeth', () => {
    const full = computeOhlcvFeatures(candles);
    expect(restoreErrors(candles, full, 3000, 60, 100).worst).toBeGreaterThan(1e-6);
  });

  it('OBV continues from the stored level, or restarts like TA-Lib on the replayed candles without it', () => {
    const full = computeOhlcvFeatures(candles);
    const history = candles.slice(1000, 2000);
    const withLevel = OhlcvFeatureStream.fromHistory(history, { obv: full[1999].obv });
    expect(withLevel.update(candles[2000]).obv).toBe(full[2000].obv);
    const withoutLevel = OhlcvFeatureStream.fromHistory(history);
    expect(withoutLevel.update(candles[2000]).obv).toBe(streamAll(candles.slice(1000, 2001))[1000].obv);
    expect(full[2000].obv).not.toBe(streamAll(candles.slice(1000, 2001))[1000].obv);
  });

  it('throws on out-of-order, duplicate or invalid candles', () => {
    const stream = new OhlcvFeatureStream();
    stream.update(candles[1]);
    expect(() => stream.update(candles[0])).toThrow(/ascending time order/);
    expect(() => stream.update(candles[1])).toThrow(/ascending time order/);
    expect(() => stream.update({ ...candles[2], close: Number.NaN })).toThrow(/invalid values/);
    expect(() => computeOhlcvFeatures([candles[0], candles[2], candles[1]])).toThrow(/index 2/);
    expect(() => computeOhlcvFeatures([candles[0], candles[0]])).toThrow(/duplicate timestamp at index 1/);
  });

  it('every feature is a finite number after warm-up on a long walk with empty candles', () => {
    const rows = computeOhlcvFeatures(randomCandles(20_000, 7));
    const last = rows[rows.length - 1];
    for (const column of FEATURE_COLUMNS) expect(Number.isFinite(last[column]), column).toBe(true);
  });
});

describe.skipIf(!hasBinanceData('stream vs batch on Binance'))('streaming on real Binance candles', () => {
  describe.each(BINANCE_FILES)('%s', (file) => {
    let candles: Candle[];
    let batch: OhlcvFeatures[];
    beforeAll(() => {
      candles = loadBinanceCandles(file);
      batch = computeOhlcvFeatures(candles);
    });

    it('the stream equals the batch on every row and column', () => {
      expect(firstDifference(batch, streamAll(candles))).toBeNull();
    });

    it(`restoring from the last ${RESTORE_HISTORY_CANDLES} candles continues within 1e-10`, () => {
      for (const cut of [5000, 12000]) {
        const { worst, problems } = restoreErrors(candles, batch, cut, RESTORE_HISTORY_CANDLES, 3000);
        expect(problems.slice(0, 5)).toEqual([]);
        expect(worst, `cut at ${cut}`).toBeLessThanOrEqual(1e-10);
      }
    });
  });
});
