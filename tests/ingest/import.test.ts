import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeOhlcvFeatures, FEATURE_COLUMNS } from '@/lib/features';
import { importCandlesFile } from '@/lib/ingest/import';
import { readRows } from '@/lib/ingest/series';
import { poolSessions } from '@/lib/db/sql';
import { parseCandlesCsv } from '@/lib/market/csv';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { BINANCE_FILES, binanceDir, hasBinanceData } from '../helpers/shared';
import { marketCandles } from '../market/binance-replay';
import { count, snapshot } from './helpers';

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

describe('importing candle files', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createMigratedDatabase();
  });
  afterAll(() => db.drop());

  it('imports a standard CSV idempotently and quarantines what fails validation', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ff-import-'));
    const candles = marketCandles(60, T0, H, 31);
    const lines = candles.map((c) => `${new Date(c.timestamp).toISOString()},${c.open},${c.high},${c.low},${c.close},${c.volume}`);
    // Row 31 (line 32) claims a high below its close: parseable, but not a valid candle.
    lines[30] = lines[30]!.replace(/^([^,]+,[^,]+,)[^,]+/, `$1${candles[30]!.close - 10}`);
    const file = path.join(dir, 'sol.csv');
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...lines].join('\n'));
    const sessions = poolSessions(db.pool);
    const series = { symbol: 'SOL/USDT', timeframe: '1h' };

    const first = await importCandlesFile(sessions, { ...series, file, source: 'binance' });
    expect(first).toMatchObject({ candles: 60, written: 59, quarantined: 1, notClosed: 0 });
    const { rows } = await db.pool.query('select rule, source from ingest_quarantine');
    expect(rows).toEqual([{ rule: 'high', source: 'binance' }]);
    const before = await snapshot(db.pool, series);
    expect(await importCandlesFile(sessions, { ...series, file, source: 'binance' })).toMatchObject({ written: 0, quarantined: 0 });
    expect(await snapshot(db.pool, series)).toEqual(before);
    expect(await count(db.pool, 'select 1 from ingest_quarantine')).toBe(1);
  });

  describe.skipIf(!hasBinanceData('import of the real Binance candles'))('the four real Binance files', () => {
    it.each(BINANCE_FILES.map((file) => [file]))('%s: every candle stored, features equal to computeOhlcvFeatures', async (file) => {
      const symbol = `${file.slice(0, 3)}/USDT`;
      const series = { symbol, timeframe: '1h' };
      const input = path.join(binanceDir, file);
      const result = await importCandlesFile(poolSessions(db.pool), { ...series, file: input, source: 'binance' });
      expect(result).toMatchObject({ candles: 16_319, written: 16_319, quarantined: 0 });

      const candles = parseCandlesCsv(readFileSync(input, 'utf8')).candles;
      const expected = computeOhlcvFeatures(candles);
      const stored = await poolSessions(db.pool)((s) => readRows(s, series));
      expect(stored).toHaveLength(16_319);
      for (let i = 0; i < stored.length; i++) {
        const row = stored[i]!;
        if (row.timestamp !== candles[i]!.timestamp || row.close !== candles[i]!.close || row.volume !== candles[i]!.volume) {
          throw new Error(`row ${i}: stored candle differs from the file`);
        }
        for (const column of FEATURE_COLUMNS) {
          // === rather than Object.is: -0 and 0 are the same feature value (the text protocol drops the sign).
          if (row.features[column] !== expected[i]![column]) {
            throw new Error(`${file} row ${i} ${column}: stored ${row.features[column]}, computed ${expected[i]![column]}`);
          }
        }
      }
      // Generous: in plain mode the rollup triggers currently dominate the write (see bench/upsert.ts).
    }, 300_000);
  });
});
