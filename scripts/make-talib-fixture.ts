/**
 * Writes tests/fixtures/talib-binance-<SYMBOL>.json.gz: what the real TA-Lib C library (through
 * the `talib` npm binding, a dev dependency) computes on the Binance candles in
 * ../shared/data/binance-1h/. Only TA-Lib's outputs and the candles' timestamps are stored, never
 * prices or volumes: the candles are third-party data that must not enter the repository.
 *
 *   npx tsx scripts/make-talib-fixture.ts
 *
 * Rows kept: all of the first WARMUP_ROWS (to check where each indicator starts and how it
 * converges), then every STRIDE-th row, which keeps the four files near 1.5 MB in total.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseCandlesCsv } from '../lib/market/csv';
import { BINANCE_FILES, binanceDir } from '../tests/helpers/shared';

const WARMUP_ROWS = 400;
const STRIDE = 10;
const OUTPUT_DIR = path.join(process.cwd(), 'tests', 'fixtures');

interface TalibResult {
  begIndex: number;
  nbElement: number;
  result: Record<string, number[]>;
}
interface Talib {
  version: string;
  execute(request: Record<string, unknown>): TalibResult;
}

/** Each stored series: TA-Lib function, its options, which output, and our name for it. */
const SERIES: { name: string; fn: string; output: string; options?: Record<string, number> }[] = [
  { name: 'atr', fn: 'ATR', output: 'outReal', options: { optInTimePeriod: 14 } },
  { name: 'rsi', fn: 'RSI', output: 'outReal', options: { optInTimePeriod: 14 } },
  ...(['macd', 'macd_signal', 'macd_histogram'] as const).map((name, i) => ({
    name,
    fn: 'MACD',
    output: ['outMACD', 'outMACDSignal', 'outMACDHist'][i],
    options: { optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 },
  })),
  ...(['bollinger_upper', 'bollinger_middle', 'bollinger_lower'] as const).map((name, i) => ({
    name,
    fn: 'BBANDS',
    output: ['outRealUpperBand', 'outRealMiddleBand', 'outRealLowerBand'][i],
    options: { optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 },
  })),
  ...(['stoch_k', 'stoch_d'] as const).map((name, i) => ({
    name,
    fn: 'STOCH',
    output: ['outSlowK', 'outSlowD'][i],
    options: { optInFastK_Period: 14, optInSlowK_Period: 3, optInSlowK_MAType: 0, optInSlowD_Period: 3, optInSlowD_MAType: 0 },
  })),
  { name: 'williams_r', fn: 'WILLR', output: 'outReal', options: { optInTimePeriod: 14 } },
  { name: 'cci', fn: 'CCI', output: 'outReal', options: { optInTimePeriod: 20 } },
  { name: 'adx', fn: 'ADX', output: 'outReal', options: { optInTimePeriod: 14 } },
  { name: 'obv', fn: 'OBV', output: 'outReal' },
  { name: 'mfi', fn: 'MFI', output: 'outReal', options: { optInTimePeriod: 14 } },
  { name: 'plus_di', fn: 'PLUS_DI', output: 'outReal', options: { optInTimePeriod: 14 } },
  { name: 'minus_di', fn: 'MINUS_DI', output: 'outReal', options: { optInTimePeriod: 14 } },
  { name: 'roc_10', fn: 'ROC', output: 'outReal', options: { optInTimePeriod: 10 } },
  { name: 'ema_20', fn: 'EMA', output: 'outReal', options: { optInTimePeriod: 20 } },
  { name: 'sma_20', fn: 'SMA', output: 'outReal', options: { optInTimePeriod: 20 } },
  { name: 'sma_50', fn: 'SMA', output: 'outReal', options: { optInTimePeriod: 50 } },
  { name: 'sma_200', fn: 'SMA', output: 'outReal', options: { optInTimePeriod: 200 } },
  { name: 'atr_10', fn: 'ATR', output: 'outReal', options: { optInTimePeriod: 10 } },
];

function main(): void {
  const talib = createRequire(import.meta.url)('talib') as Talib;
  let totalBytes = 0;
  for (const file of BINANCE_FILES) {
    const text = readFileSync(path.join(binanceDir, file), 'utf8');
    const { candles } = parseCandlesCsv(text);
    const input = {
      startIdx: 0,
      endIdx: candles.length - 1,
      open: candles.map((c) => c.open),
      high: candles.map((c) => c.high),
      low: candles.map((c) => c.low),
      close: candles.map((c) => c.close),
      volume: candles.map((c) => c.volume),
    };
    const rows = candles.map((_, i) => i).filter((i) => i < WARMUP_ROWS || i % STRIDE === 0);
    const firstIndex: Record<string, number> = {};
    const series: Record<string, (number | null)[]> = {};
    for (const { name, fn, output, options } of SERIES) {
      const result = talib.execute({ name: fn, ...input, inReal: input.close, ...options });
      const values = result.result[output];
      if (!values) throw new Error(`TA-Lib ${fn} returned no ${output}`);
      firstIndex[name] = result.begIndex;
      series[name] = rows.map((i) => (i >= result.begIndex ? values[i - result.begIndex] : null));
    }
    const fixture = {
      source: `../shared/data/binance-1h/${file}`,
      sourceSha256: createHash('sha256').update(text).digest('hex'),
      generator: 'scripts/make-talib-fixture.ts',
      talibBinding: `talib ${talib.version}`,
      candles: candles.length,
      rows,
      timestamps: rows.map((i) => candles[i].timestamp),
      firstIndex,
      series,
    };
    const symbol = file.replace(/_1h\.csv$/, '');
    const gz = gzipSync(JSON.stringify(fixture), { level: 9 });
    writeFileSync(path.join(OUTPUT_DIR, `talib-binance-${symbol}.json.gz`), gz);
    totalBytes += gz.length;
    console.log(`${symbol}: ${rows.length} of ${candles.length} rows, ${(gz.length / 1e6).toFixed(2)} MB`);
  }
  console.log(`total ${(totalBytes / 1e6).toFixed(2)} MB`);
}

main();
