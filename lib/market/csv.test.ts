import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BINANCE_FILES, binanceDir, hasBinanceData } from '@/tests/helpers/shared';
import { CandleCsvError, formatTimestamp, parseCandlesCsv } from './csv';

const HEADER = 'timestamp,open,high,low,close,volume';
const T0 = Date.UTC(2024, 0, 1);
const H = 3_600_000;

/** The error thrown for `text`, to assert on its line and message. */
function errorOf(text: string): CandleCsvError {
  try {
    parseCandlesCsv(text);
  } catch (error) {
    if (error instanceof CandleCsvError) return error;
    throw error;
  }
  throw new Error('expected parseCandlesCsv to throw');
}

describe('parseCandlesCsv, standard layout', () => {
  it('reads ISO-8601 timestamps and remembers the format', () => {
    const parsed = parseCandlesCsv(`${HEADER}\n2024-01-01T00:00:00Z,1,2,0.5,1.5,10\n2024-01-01T01:00:00.000+00:00,1.5,2.5,1,2,0\n`);
    expect(parsed).toEqual({
      layout: 'standard',
      timestampFormat: 'iso',
      candles: [
        { timestamp: T0, open: 1, high: 2, low: 0.5, close: 1.5, volume: 10 },
        { timestamp: T0 + H, open: 1.5, high: 2.5, low: 1, close: 2, volume: 0 },
      ],
    });
  });

  it('reads unix milliseconds, any column order, extra columns, CRLF, a BOM and time-zone offsets', () => {
    const text = `\uFEFFvolume,close,low,high,open,timestamp,note\r\n5,1.5,0.5,2,1,${T0},x\r\n6,2,1,3,1.5,${T0 + H},y\r\n`;
    const parsed = parseCandlesCsv(text);
    expect(parsed.timestampFormat).toBe('unix_ms');
    expect(parsed.candles[1]).toEqual({ timestamp: T0 + H, open: 1.5, high: 3, low: 1, close: 2, volume: 6 });
    const offset = parseCandlesCsv(`${HEADER}\n2024-01-01T02:00:00+02:00,1,2,0.5,1.5,10\n2024-01-01 01:00:00Z,1,2,0.5,1.5,10\n`);
    expect(offset.candles.map((c) => c.timestamp)).toEqual([T0, T0 + H]);
  });
});

describe('parseCandlesCsv, CryptoDataDownload layout', () => {
  const banner = 'https://www.CryptoDataDownload.com';
  const header = 'unix,date,symbol,open,high,low,close,Volume ETH,Volume USDT,tradecount';

  it('skips the banner, uses the base-asset volume and returns candles oldest first', () => {
    const text = [
      banner,
      header,
      `${T0 + 2 * H},2024-01-01 02:00:00,ETH/USDT,12,13,11,12.5,300,3750,9`,
      `${T0 + H},2024-01-01 01:00:00,ETH/USDT,11,12.5,10.5,12,200,2400,8`,
      `${T0},2024-01-01 00:00:00,ETH/USDT,10,11.5,9.5,11,100,1100,7`,
    ].join('\n');
    const parsed = parseCandlesCsv(text);
    expect(parsed.layout).toBe('cryptodatadownload');
    expect(parsed.timestampFormat).toBe('unix_ms');
    expect(parsed.candles.map((c) => [c.timestamp, c.close, c.volume])).toEqual([
      [T0, 11, 100],
      [T0 + H, 12, 200],
      [T0 + 2 * H, 12.5, 300],
    ]);
  });

  it('rejects rows that are not newest first, naming the line', () => {
    const text = [banner, header, `${T0},d,ETH/USDT,10,11,9,10,1,1,1`, `${T0 + H},d,ETH/USDT,10,11,9,10,1,1,1`].join('\n');
    expect(errorOf(text).message).toMatch(/^line 4: timestamp out of order.*newest first/);
  });

  it('rejects a file without the base-asset volume column', () => {
    const text = [banner, 'unix,date,symbol,open,high,low,close,tradecount', `${T0},d,ETH/USDT,10,11,9,10,1`].join('\n');
    expect(errorOf(text).message).toMatch(/^line 2: missing the base-asset volume column/);
  });

  describe.skipIf(!hasBinanceData('CryptoDataDownload files parse'))('the real Binance files', () => {
    it.each(BINANCE_FILES)('%s parses into 16,319 ascending hourly candles', (file) => {
      const text = readFileSync(path.join(binanceDir, file), 'utf8');
      const { candles, layout } = parseCandlesCsv(text);
      expect(layout).toBe('cryptodatadownload');
      expect(candles).toHaveLength(16_319);
      expect(candles[0].timestamp).toBe(Date.UTC(2020, 7, 2, 2));
      expect(candles[candles.length - 1].timestamp).toBe(Date.UTC(2022, 5, 13, 0));
      expect(candles.every((c, i) => i === 0 || c.timestamp - candles[i - 1].timestamp === H)).toBe(true);
      // Line 3 is the newest row; its 8th field is the base-asset volume.
      const newest = text.split('\n')[2].split(',');
      expect(candles[candles.length - 1].volume).toBe(Number(newest[7]));
      expect(candles[candles.length - 1].close).toBe(Number(newest[6]));
    });
  });
});

describe('parseCandlesCsv errors name the line a user sees in an editor', () => {
  const row = (i: number, close = '1.5') => `${T0 + i * H},1,2,0.5,${close},10`;

  it.each([
    ['a missing column', `timestamp,open,high,low,close\n${T0},1,2,0.5,1.5`, /^line 1: missing column "volume"/],
    ['an unparsable number', `${HEADER}\n${row(0)}\n${row(1, 'abc')}`, /^line 3: close "abc" is not a number/],
    ['an empty cell', `${HEADER}\n${row(0, '')}`, /^line 2: empty close/],
    ['a short row', `${HEADER}\n${row(0)}\n${T0 + H},1,2`, /^line 3: expected at least 6 fields, found 3/],
    ['a timestamp going back', `${HEADER}\n${row(1)}\n${row(0)}`, /^line 3: timestamp goes back in time/],
    ['a duplicate timestamp', `${HEADER}\n${row(0)}\n${row(1)}\n${row(1)}`, /^line 4: duplicate timestamp/],
    ['blank lines before the problem', `${HEADER}\n\n${row(0)}\n\n${row(0)}`, /^line 5: duplicate timestamp/],
    ['mixed timestamp formats', `${HEADER}\n${row(0)}\n2024-01-01T05:00:00Z,1,2,0.5,1.5,10`, /^line 3: .*ISO-8601 but earlier rows use unix milliseconds/],
    ['unix seconds', `${HEADER}\n${T0 / 1000},1,2,0.5,1.5,10`, /^line 2: .*looks like unix seconds/],
    ['an impossible date', `${HEADER}\n2024-02-30T00:00:00Z,1,2,0.5,1.5,10`, /^line 2: .*not a real date/],
    ['a time without a zone', `${HEADER}\n2024-01-01T00:00:00,1,2,0.5,1.5,10`, /^line 2: .*ISO-8601 with a time zone/],
    ['a negative volume', `${HEADER}\n${T0},1,2,0.5,1.5,-3`, /^line 2: volume must not be negative/],
    ['a zero price', `${HEADER}\n${T0},1,2,0,1.5,3`, /^line 2: low must be greater than 0/],
    ['high below low', `${HEADER}\n${T0},1,0.5,2,1.5,3`, /^line 2: high 0.5 is below low 2/],
    ['an unclosed quote', `${HEADER}\n${row(0)}\n"${T0 + H},1,2,0.5,1.5,10`, /^line 3: not valid CSV/],
    ['an empty file', '', /^line 1: the file is empty/],
  ])('%s', (_, text, message) => {
    const error = errorOf(text);
    expect(error.message).toMatch(message);
    expect(error.line).toBe(Number(/^line (\d+)/.exec(error.message)![1]));
  });
});

describe('formatTimestamp', () => {
  it('writes each format so it parses back to the same instant', () => {
    for (const format of ['iso', 'unix_ms'] as const) {
      const text = `${HEADER}\n${formatTimestamp(T0 + 1234, format)},1,2,0.5,1.5,10`;
      const parsed = parseCandlesCsv(text);
      expect(parsed.timestampFormat).toBe(format);
      expect(parsed.candles[0].timestamp).toBe(T0 + 1234);
    }
  });
});
