import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTrainingSet, parseExportRequest } from '@/lib/export';
import { GAP_FREE_CANDLES, gapMarkers } from '@/lib/ingest/gap-marker';
import { importCandlesFile, type ImportResult } from '@/lib/ingest/import';
import { poolSessions } from '@/lib/db/sql';
import { generateLabels } from '@/lib/labels';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { marketCandles } from '../market/binance-replay';

const H = 3_600_000;
const T0 = Date.UTC(2023, 0, 1);

describe('gap markers (pure)', () => {
  it('counts consecutive candles, restarting after a gap, continuing from stored history', () => {
    expect(gapMarkers([], [0, H, 2 * H, 5 * H, 6 * H], H)).toEqual([1, 2, 3, 1, 2]);
    expect(gapMarkers([{ timestamp: 0, candlesSinceGap: 40 }], [H, 3 * H], H)).toEqual([41, 1]);
    // History stored before the marker existed: counted from the history itself.
    expect(gapMarkers([{ timestamp: 0, candlesSinceGap: null }, { timestamp: H, candlesSinceGap: null }], [2 * H], H)).toEqual([3]);
  });
});

describe('a series with 5 hours missing', () => {
  let db: MigratedDatabase;
  let imported: ImportResult;
  // 600 hourly candles, hours 300–304 removed: the "5 hours removed from a copy".
  const candles = marketCandles(600, T0, H, 11).filter((_, i) => i < 300 || i > 304);
  const at = (hour: number) => T0 + hour * H;

  beforeAll(async () => {
    db = await createMigratedDatabase();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ff-gaps-')), 'gappy.csv');
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...candles.map((c) => [c.timestamp, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n'));
    imported = await importCandlesFile(poolSessions(db.pool), { file, symbol: 'BTC/USDT', timeframe: '1h', maxJump: 10 });
    await generateLabels({ sessions: poolSessions(db.pool) }, { symbols: ['BTC/USDT'], types: ['price_direction'] });
  });
  afterAll(() => db.drop());

  it('the import reports the gap: count, largest, first', () => {
    expect(imported.gaps).toEqual({ count: 1, missing: 5, largest: { from: at(300), to: at(304), missing: 5 }, first: { from: at(300), to: at(304), missing: 5 } });
  });

  it('every stored row says how many candles it has had since the last gap', async () => {
    const { rows } = await db.pool.query<{ h: number; n: number }>(
      `select ((extract(epoch from timestamp) * 1000 - $1) / 3600000)::int as h, candles_since_gap as n from ml_features_ohlcv where symbol = 'BTC/USDT' order by timestamp`,
      [T0],
    );
    const byHour = new Map(rows.map((r) => [r.h, r.n]));
    expect([byHour.get(0), byHour.get(299), byHour.get(305), byHour.get(306), byHour.get(599)]).toEqual([1, 300, 1, 2, 295]);
  });

  it('the export leaves rows whose windows cross the gap out and counts them; on request it keeps them, marked', async () => {
    const base = { symbols: ['BTC/USDT'], timeframes: ['1h'], from: '2023-01-01', to: '2023-01-31', labels: ['price_direction'], format: 'csv' as const };
    const { rows, metadata } = await buildTrainingSet(db.pool, parseExportRequest(base));
    const crossing = (h: number) => h >= 305 && h < 305 + GAP_FREE_CANDLES - 1;
    const hours = rows.map((r) => ((r.timestamp as number) - T0) / H);
    expect(hours.some(crossing)).toBe(false);
    expect(hours).toContain(299 - 4); // before the gap (its 4h outcome would span it: 296+ have no label)
    expect(hours).toContain(305 + GAP_FREE_CANDLES - 1);
    // Labels after the gap start at 329 (σ needs candles t − 24 … t): 329 … 503 cross it.
    expect(metadata.excluded.gap.count).toBe(GAP_FREE_CANDLES - 1 - 24);
    expect(metadata.include_gaps).toBe(false);

    const kept = await buildTrainingSet(db.pool, parseExportRequest({ ...base, includeGaps: true }));
    expect(kept.metadata.excluded.gap.count).toBe(0);
    const first = kept.rows.find((r) => ((r.timestamp as number) - T0) / H === 329)!;
    expect(first.candles_since_gap).toBe(25);
    // Its SMA 200 distance averages closes from before the gap: exactly what the marker warns about.
    expect(first.dist_sma_200).not.toBeNull();
  });
});

describe('the quality gap listing covers the whole history, paged', () => {
  let db: MigratedDatabase;
  // 3 years of daily candles with a hole every 100 days: most of them older than a 365-day window.
  const daily = marketCandles(1100, Date.UTC(2020, 0, 1), 86_400_000, 5).filter((_, i) => i % 100 !== 50);
  beforeAll(async () => {
    db = await createMigratedDatabase();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'ff-gaps-daily-')), 'daily.csv');
    writeFileSync(file, ['timestamp,open,high,low,close,volume', ...daily.map((c) => [c.timestamp, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n'));
    await importCandlesFile(poolSessions(db.pool), { file, symbol: 'ETH/USDT', timeframe: '1d', maxJump: 10 });
  });
  afterAll(() => db.drop());

  it('lists every gap, newest first, a page at a time', async () => {
    const { listSeriesGaps } = await import('@/lib/dashboard/quality/gaps');
    const first = await listSeriesGaps(db.pool, { symbol: 'ETH/USDT', timeframe: '1d', page: 1, pageSize: 4 });
    expect(first).toMatchObject({ total: 11, missing: 11, page: 1, pages: 3 });
    expect(first.gaps[0]).toEqual({ from: Date.UTC(2020, 0, 1) + 1050 * 86_400_000, to: Date.UTC(2020, 0, 1) + 1050 * 86_400_000, missing: 1 });
    const last = await listSeriesGaps(db.pool, { symbol: 'ETH/USDT', timeframe: '1d', page: 3, pageSize: 4 });
    expect(last.gaps.map((g) => g.from)).toEqual([250, 150, 50].map((d) => Date.UTC(2020, 0, 1) + d * 86_400_000));
    expect((await listSeriesGaps(db.pool, { symbol: 'ETH/USDT', timeframe: '1d', page: 9, pageSize: 4 })).gaps).toEqual([]);
  });
});
