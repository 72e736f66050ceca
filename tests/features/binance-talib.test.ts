import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { computeOhlcvFeatures, type OhlcvFeatures } from '@/lib/features';
import type { Candle } from '@/lib/market/candle';
import { BINANCE_FILES, binanceDir, hasBinanceData } from '../helpers/shared';
import { loadBinanceCandles, loadTalibFixture, relativeError, type TalibFixture } from './data';

/**
 * Our features on the real Binance candles against TA-Lib's outputs stored by
 * scripts/make-talib-fixture.ts. Series TA-Lib computes directly compare one to one; the
 * distance and width features are rebuilt from TA-Lib's SMA/EMA/ATR and the candle's close.
 */
const EXPECTED_FROM_TALIB: Record<string, (talib: (name: string) => number | null, candle: Candle) => number | null> = {
  dist_sma_20: (t, c) => ratioMinusOne(c.close, t('sma_20')),
  dist_ema_20: (t, c) => ratioMinusOne(c.close, t('ema_20')),
  dist_sma_50: (t, c) => ratioMinusOne(c.close, t('sma_50')),
  dist_sma_200: (t, c) => ratioMinusOne(c.close, t('sma_200')),
  keltner_width: (t) => {
    const atr = t('atr_10');
    const ema = t('ema_20');
    return atr === null || ema === null ? null : (ema + 2 * atr - (ema - 2 * atr)) / ema;
  },
};
const DIRECT = [
  'atr', 'rsi', 'macd', 'macd_signal', 'macd_histogram', 'bollinger_upper', 'bollinger_middle',
  'bollinger_lower', 'stoch_k', 'stoch_d', 'williams_r', 'cci', 'adx', 'obv', 'mfi', 'plus_di',
  'minus_di', 'roc_10',
] as const;

const CONTRACT_TOLERANCE = 1e-6;
// Direct series are bit-identical today; rebuilt ones differ by the rounding of the rebuild.
const EXACT_TOLERANCE = 1e-12;
const WARM_UP = 300;

function ratioMinusOne(close: number, average: number | null): number | null {
  return average === null ? null : close / average - 1;
}

describe.skipIf(!hasBinanceData('features vs TA-Lib on Binance'))('features vs TA-Lib on real Binance candles', () => {
  describe.each(BINANCE_FILES)('%s', (file) => {
    // Loaded in beforeAll, which a skipped suite never runs (its body still registers tests).
    let fixture: TalibFixture;
    let candles: Candle[];
    let features: OhlcvFeatures[];
    beforeAll(() => {
      fixture = loadTalibFixture(file);
      candles = loadBinanceCandles(file);
      features = computeOhlcvFeatures(candles);
    });

    it('the fixture was made from these candles', () => {
      const sha = createHash('sha256').update(readFileSync(path.join(binanceDir, file))).digest('hex');
      expect(sha, 'candle file changed: rerun scripts/make-talib-fixture.ts').toBe(fixture.sourceSha256);
      expect(fixture.rows.map((i) => candles[i].timestamp)).toEqual(fixture.timestamps);
    });

    const compare = (name: string, expectedAt: (k: number, row: number) => number | null, actual: (f: OhlcvFeatures) => number | null) => {
      const mismatches: string[] = [];
      let worstAfterWarmUp = 0;
      fixture.rows.forEach((row, k) => {
        const expected = expectedAt(k, row);
        const ours = actual(features[row]);
        if (expected === null || ours === null) {
          if (expected !== ours) mismatches.push(`row ${row}: TA-Lib ${expected}, ours ${ours}`);
          return;
        }
        const error = relativeError(expected, ours);
        if (error > EXACT_TOLERANCE) mismatches.push(`row ${row}: TA-Lib ${expected}, ours ${ours}`);
        if (row >= WARM_UP) worstAfterWarmUp = Math.max(worstAfterWarmUp, error);
      });
      expect(worstAfterWarmUp, `${name} after ${WARM_UP} candles`).toBeLessThanOrEqual(CONTRACT_TOLERANCE);
      expect(mismatches.slice(0, 5), name).toEqual([]);
    };

    it.each(DIRECT)('%s equals TA-Lib, null where TA-Lib has no value', (name) => {
      compare(name, (k) => fixture.series[name][k], (f) => f[name]);
    });

    it.each(Object.keys(EXPECTED_FROM_TALIB))('%s matches its definition on TA-Lib averages', (name) => {
      const expected = EXPECTED_FROM_TALIB[name];
      compare(
        name,
        (k, row) => expected((series) => fixture.series[series][k], candles[row]),
        (f) => f[name as keyof OhlcvFeatures],
      );
    });
  });
});
