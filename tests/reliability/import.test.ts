import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poolSessions } from '@/lib/db/sql';
import { computeOhlcvFeatures, FEATURE_COLUMNS } from '@/lib/features';
import { importCandlesFile, type ImportProgress } from '@/lib/ingest/import';
import { readRows } from '@/lib/ingest/series';
import { CandleCsvError } from '@/lib/market/csv';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { marketCandles } from '../market/binance-replay';

/**
 * The streaming import: many committed batches, progress as it goes, an interrupted import that a
 * re-run completes, features identical to one pass over the file whatever the batch size.
 */
const M = 60_000;
const T0 = Date.UTC(2024, 0, 1);

describe('streaming CSV import', () => {
  let db: TestDatabase;
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-stream-import-'));
  const candles = marketCandles(5_000, T0, M, 7);
  const file = path.join(dir, 'btc-1m.csv');
  writeFileSync(file, ['timestamp,open,high,low,close,volume', ...candles.map((c) => `${c.timestamp},${c.open},${c.high},${c.low},${c.close},${c.volume}`)].join('\n'));
  beforeAll(async () => {
    db = await createMigratedDatabase();
  });
  afterAll(async () => {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const expectOnePass = async (symbol: string) => {
    const stored = await poolSessions(db.pool)((s) => readRows(s, { symbol, timeframe: '1m' }));
    expect(stored.map((row) => row.timestamp)).toEqual(candles.map((c) => c.timestamp)); // each once, none missing
    const expected = computeOhlcvFeatures(candles);
    for (let i = 0; i < stored.length; i++) {
      for (const column of FEATURE_COLUMNS) {
        if (stored[i]!.features[column] !== expected[i]![column]) throw new Error(`row ${i} ${column}: ${stored[i]!.features[column]} vs ${expected[i]![column]}`);
      }
    }
  };

  it('commits in batches with progress, and features equal one pass over the file', async () => {
    const progress: ImportProgress[] = [];
    const result = await importCandlesFile(poolSessions(db.pool), { symbol: 'BTC/USDT', timeframe: '1m', file, batchSize: 700, onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ candles: 5_000, written: 5_000, quarantined: 0, batches: 8 });
    expect(progress).toHaveLength(8);
    expect(progress.map((p) => p.candles)).toEqual([700, 1400, 2100, 2800, 3500, 4200, 4900, 5000]);
    expect(progress.every((p, i) => i === 0 || p.bytesRead > progress[i - 1]!.bytesRead)).toBe(true);
    expect(progress.at(-1)!.bytesRead).toBe(progress.at(-1)!.totalBytes);
    await expectOnePass('BTC/USDT');
  });

  it('keeps what an interrupted import committed, and a re-run completes it without duplicates', async () => {
    const sessions = poolSessions(db.pool);
    const request = { symbol: 'ETH/USDT', timeframe: '1m', file, batchSize: 1_000 };
    await expect(importCandlesFile(sessions, { ...request, onProgress: (p) => {
      if (p.candles >= 3_000) throw new Error('killed mid-import');
    } })).rejects.toThrow('killed mid-import');
    expect((await db.pool.query("select count(*)::int as n from ml_features_ohlcv where symbol = 'ETH/USDT'")).rows[0].n).toBe(3_000);
    const rerun = await importCandlesFile(sessions, request);
    expect(rerun).toMatchObject({ candles: 5_000, written: 2_000 }); // the committed 3,000 are unchanged, not rewritten
    await expectOnePass('ETH/USDT');
    expect(await importCandlesFile(sessions, request)).toMatchObject({ written: 0 }); // idempotent
  });

  it('stops at a malformed row with its line number, keeping the batches before it', async () => {
    const broken = path.join(dir, 'broken.csv');
    const lines = ['timestamp,open,high,low,close,volume', ...candles.slice(0, 2_500).map((c) => `${c.timestamp},${c.open},${c.high},${c.low},${c.close},${c.volume}`)];
    lines[2_201] = `${candles[2_200]!.timestamp},abc,1,1,1,1`;
    writeFileSync(broken, lines.join('\n'));
    const attempt = importCandlesFile(poolSessions(db.pool), { symbol: 'SOL/USDT', timeframe: '1m', file: broken, batchSize: 1_000 });
    await expect(attempt).rejects.toThrow(CandleCsvError);
    await expect(attempt).rejects.toThrow(/^line 2202: open "abc" is not a number/);
    expect((await db.pool.query("select count(*)::int as n from ml_features_ohlcv where symbol = 'SOL/USDT'")).rows[0].n).toBe(2_000);
  });
});
