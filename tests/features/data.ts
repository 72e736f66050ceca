import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Candle } from '@/lib/market/candle';
import { parseCandlesCsv } from '@/lib/market/csv';
import { binanceDir } from '../helpers/shared';

const fixturesDir = path.join(import.meta.dirname, '..', 'fixtures');

/** The synthetic golden file: candles plus TA-Lib's value per candle (null = no value yet). */
export interface Golden {
  candles: Candle[];
  talib: Record<string, (number | null)[]>;
}

export function loadGolden(): Golden {
  const text = readFileSync(path.join(fixturesDir, 'synthetic-1h-talib.csv'), 'utf8');
  const [header, ...lines] = text.trim().split('\n');
  const names = header.split(',');
  const rows = lines.map((line) => line.split(','));
  const column = (name: string) => rows.map((row) => row[names.indexOf(name)]);
  const timestamps = column('timestamp').map((t) => Date.parse(t));
  const numbers = (name: string) => column(name).map(Number);
  const [open, high, low, close, volume] = ['open', 'high', 'low', 'close', 'volume'].map(numbers);
  const candles = timestamps.map((timestamp, i) => ({
    timestamp,
    open: open[i],
    high: high[i],
    low: low[i],
    close: close[i],
    volume: volume[i],
  }));
  const talib = Object.fromEntries(
    names.slice(6).map((name) => [name, column(name).map((cell) => (cell === '' ? null : Number(cell)))]),
  );
  return { candles, talib };
}

export function loadBinanceCandles(file: string): Candle[] {
  return parseCandlesCsv(readFileSync(path.join(binanceDir, file), 'utf8')).candles;
}

/** A fixture written by scripts/make-talib-fixture.ts (TA-Lib outputs only, at selected rows). */
export interface TalibFixture {
  sourceSha256: string;
  candles: number;
  rows: number[];
  timestamps: number[];
  firstIndex: Record<string, number>;
  series: Record<string, (number | null)[]>;
}

export function loadTalibFixture(file: string): TalibFixture {
  const symbol = file.replace(/_1h\.csv$/, '');
  const gz = readFileSync(path.join(fixturesDir, `talib-binance-${symbol}.json.gz`));
  return JSON.parse(gunzipSync(gz).toString('utf8')) as TalibFixture;
}

/** |a − b| / max(1, |a|): the comparison the TA-Lib contract is stated in. */
export function relativeError(expected: number, actual: number): number {
  return Math.abs(expected - actual) / Math.max(1, Math.abs(expected));
}

/** A deterministic random walk of candles (seeded), for tests that need many or varied candles. */
export function randomCandles(count: number, seed = 1, start = Date.UTC(2024, 0, 1)): Candle[] {
  let state = seed;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  const candles: Candle[] = [];
  let price = 100;
  for (let i = 0; i < count; i++) {
    const open = price;
    price *= 1 + (random() - 0.5) * 0.02;
    candles.push({
      timestamp: start + i * 3_600_000,
      open,
      high: Math.max(open, price) * (1 + random() * 0.005),
      low: Math.min(open, price) * (1 - random() * 0.005),
      close: price,
      volume: random() < 0.05 ? 0 : random() * 1000,
    });
  }
  return candles;
}
