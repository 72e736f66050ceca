import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import {
  computeFeaturesCsv,
  computeFeaturesFile,
  computeOhlcvFeatures,
  EXTRA_FEATURE_COLUMNS,
  FEATURE_COLUMNS,
  SEED_FEATURE_COLUMNS,
} from '@/lib/features';
import type { Candle } from '@/lib/market/candle';
import { CandleCsvError } from '@/lib/market/csv';
import { randomCandles } from './data';

const candles = randomCandles(300, 9);
const header = 'timestamp,open,high,low,close,volume';
const csvOf = (time: (c: Candle) => string) =>
  [header, ...candles.map((c) => [time(c), c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n');
const isoInput = csvOf((c) => new Date(c.timestamp).toISOString());
const unixInput = csvOf((c) => String(c.timestamp));

function table(csv: string): string[][] {
  return parse(csv) as string[][];
}

describe('computeFeaturesCsv', () => {
  it('writes timestamp, then the 16 seed and the 17 extra feature columns by name', () => {
    const [header] = table(computeFeaturesCsv(isoInput));
    expect(header).toEqual(['timestamp', ...SEED_FEATURE_COLUMNS, ...EXTRA_FEATURE_COLUMNS]);
    expect(header).toHaveLength(34);
  });

  it('keeps ISO timestamps ISO and unix milliseconds unix milliseconds', () => {
    const iso = table(computeFeaturesCsv(isoInput)).slice(1);
    expect(iso.map((row) => row[0])).toEqual(candles.map((c) => new Date(c.timestamp).toISOString()));
    const unix = table(computeFeaturesCsv(unixInput)).slice(1);
    expect(unix.map((row) => row[0])).toEqual(candles.map((c) => String(c.timestamp)));
  });

  it('leaves cells empty during warm-up and writes numbers that read back exactly', () => {
    const [header, ...rows] = table(computeFeaturesCsv(unixInput));
    const expected = computeOhlcvFeatures(candles);
    expect(rows).toHaveLength(candles.length);
    const rsi = header.indexOf('rsi');
    expect(rows[13][rsi]).toBe('');
    expect(rows[14][rsi]).not.toBe('');
    rows.forEach((row, i) => {
      FEATURE_COLUMNS.forEach((column, c) => {
        const value = expected[i][column];
        expect(row[c + 1], `row ${i} ${column}`).toBe(value === null ? '' : String(value));
        if (value !== null) expect(Number(row[c + 1])).toBe(value);
      });
    });
  });

  it('reads the CryptoDataDownload layout and writes its rows oldest first', () => {
    const newestFirst = [...candles].reverse();
    const cdd = [
      'https://www.CryptoDataDownload.com',
      'unix,date,symbol,open,high,low,close,Volume XYZ,Volume USDT,tradecount',
      ...newestFirst.map((c: Candle) => `${c.timestamp},-,XYZ/USDT,${c.open},${c.high},${c.low},${c.close},${c.volume},0,0`),
    ].join('\n');
    expect(computeFeaturesCsv(cdd)).toBe(computeFeaturesCsv(unixInput));
  });

  it('passes on input errors with their line number', () => {
    const broken = unixInput.split('\n');
    broken[42] = broken[42].replace(/,[^,]*$/, ',lots');
    expect(() => computeFeaturesCsv(broken.join('\n'))).toThrow(CandleCsvError);
    expect(() => computeFeaturesCsv(broken.join('\n'))).toThrow(/^line 43: volume "lots" is not a number/);
  });
});

describe('computeFeaturesFile', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-features-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same CSV to a file and reports what it read', async () => {
    const input = path.join(dir, 'in.csv');
    const output = path.join(dir, 'out.csv');
    writeFileSync(input, isoInput);
    const summary = await computeFeaturesFile(input, output);
    expect(summary).toEqual({ candles: 300, layout: 'standard', timestampFormat: 'iso' });
    expect(readFileSync(output, 'utf8')).toBe(computeFeaturesCsv(isoInput));
  });
});
