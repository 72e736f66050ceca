import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOverview } from '@/lib/dashboard/overview';
import { listQuarantine } from '@/lib/dashboard/quality/quarantine';
import { getQualityReport } from '@/lib/dashboard/quality/report';
import { recordAttempt } from '@/lib/ingest/attempts';
import { quarantineRows } from '@/lib/ingest/quarantine';
import { createPrisma, type PrismaClient } from '@/lib/db/prisma';
import { withSession } from '@/lib/db/sql';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { D, H, marketCandles, store } from './seed';

const START = Date.UTC(2022, 4, 1);
const NOW = Date.UTC(2022, 4, 11, 12);

describe('quality and overview read models', () => {
  let db: MigratedDatabase;
  let prisma: PrismaClient;
  const candles = marketCandles(240, START, H, 5);
  // Two holes: 3 candles after hour 100, 1 after hour 200.
  const stored = candles.filter((_, i) => !(i >= 101 && i <= 103) && i !== 201);

  beforeAll(async () => {
    db = await createMigratedDatabase();
    prisma = createPrisma(db.url);
    await store(db.pool, 'BTC/USDT', '1h', stored);
    await store(db.pool, 'BTC/USDT', '1h', marketCandles(3, candles[239]!.timestamp + H, H, 6, candles[239]!.close), 'simulated');
    await withSession(db.pool, async (client) => {
      const x = client;
      const attempt = { source: 'binance', symbol: 'BTC/USDT', timeframe: '1h', rowsWritten: 1, rowsSimulated: 0, rowsQuarantined: 0 };
      for (let i = 0; i < 8; i++) await recordAttempt(x, { ...attempt, outcome: 'real', startedAt: NOW - i * H, finishedAt: NOW - i * H + 1_000 });
      await recordAttempt(x, { ...attempt, outcome: 'fallback', error: 'ECONNRESET', startedAt: NOW - 2 * H, finishedAt: NOW - 2 * H + 5 });
      await recordAttempt(x, { ...attempt, outcome: 'failed', error: 'timeout', startedAt: NOW - 3 * D, finishedAt: NOW - 3 * D + 5 });
      const rejected = Array.from({ length: 30 }, (_, i) => ({
        timestamp: START + i * H, rule: i % 3 ? 'high' : 'jump', reason: `row ${i} rejected`, payload: { i },
      })) as Parameters<typeof quarantineRows>[2];
      await quarantineRows(x, { source: 'binance', symbol: 'BTC/USDT', timeframe: '1h' }, rejected);
    });
  }, 120_000);
  afterAll(async () => {
    await prisma.$disconnect();
    await db.drop();
  });

  it('finds each gap in the window, with the largest one', async () => {
    const report = await getQualityReport(db.pool, { now: NOW, days: 30, embedded: true });
    const [series] = report.series;
    expect(series).toMatchObject({ symbol: 'BTC/USDT', timeframe: '1h', gaps: 2, missing: 4, expected: 243, simulated: 3 });
    expect(series!.largest).toEqual({ from: candles[101]!.timestamp, to: candles[103]!.timestamp, missing: 3 });
  });

  it('reports fallback rates per day and per source and symbol, validation failures by rule', async () => {
    const report = await getQualityReport(db.pool, { now: NOW, days: 7, embedded: true });
    expect(report.fallback.bySeries).toEqual([
      expect.objectContaining({ source: 'binance', kind: 'candles', symbol: 'BTC/USDT', attempts: 10, real: 8, fallback: 1, failed: 1, fallbackRate: 0.2, status: 'bad', lastError: 'ECONNRESET' }),
    ]);
    const today = report.fallback.days.find((d) => d.t === Date.UTC(2022, 4, 11))!;
    expect(today).toMatchObject({ source: 'binance', attempts: 9 });
    expect(today.fallbackRate).toBeCloseTo(1 / 9);
    // Rows are quarantined at wall-clock time (received_at), after NOW - 7 days.
    expect(report.failures).toEqual([
      { rule: 'high', source: 'binance', recent: 20, total: 20 },
      { rule: 'jump', source: 'binance', recent: 10, total: 10 },
    ]);
    const later = await getQualityReport(db.pool, { now: Date.now() + 8 * D, days: 7, embedded: true });
    expect(later.failures.map((f) => f.recent)).toEqual([0, 0]);
    // Days of simulated data, from the daily rollup.
    const lastDay = report.simulated[report.simulated.length - 1]!;
    expect(lastDay).toMatchObject({ symbol: 'BTC/USDT', simulated: 3 });
  });

  it('reports plain-mode storage: retention horizons against the oldest rows, no TimescaleDB extras', async () => {
    const { storage } = await getQualityReport(db.pool, { now: NOW, days: 7, embedded: true });
    expect(storage.database.mode).toBe('embedded');
    expect(storage.timescale).toBeNull();
    // Default tiers: 1h kept until the user says otherwise; the tracked 1m series would expire.
    expect(storage.retention.map((r) => r.timeframe)).toEqual(['1m', '5m', '15m', '1h', '4h', '1d']);
    expect(storage.retention.find((r) => r.timeframe === '1h')).toMatchObject({ rawDays: null, aggregateDays: null, rawCutoff: null, oldestRaw: START, oldestAggregate: START });
    expect(storage.retention.find((r) => r.timeframe === '1m')).toMatchObject({ rawDays: 90, aggregateDays: 730, rawCutoff: NOW - 90 * D, oldestRaw: null });
  });

  it('pages through quarantined rows newest first, filtered', async () => {
    const first = await listQuarantine(prisma, { page: 1, pageSize: 25 });
    expect(first).toMatchObject({ total: 30, pages: 2, page: 1 });
    expect(first.rows).toHaveLength(25);
    const second = await listQuarantine(prisma, { page: 2, pageSize: 25 });
    expect(second.rows).toHaveLength(5);
    const ids = [...first.rows, ...second.rows].map((r) => r.id);
    expect(new Set(ids).size).toBe(30);
    const jumps = await listQuarantine(prisma, { page: 1, pageSize: 50, rule: 'jump' });
    expect(jumps.total).toBe(10);
    expect(jumps.rows.every((r) => r.rule === 'jump' && r.reason.endsWith('rejected'))).toBe(true);
    expect(await listQuarantine(prisma, { page: 1, pageSize: 10, symbol: 'ETH/USDT' })).toMatchObject({ total: 0, rows: [], pages: 1 });
  });

  it('overview: tracked series without data, freshness of stored ones, latest values and today\'s fallback rate', async () => {
    const newest = candles[239]!.timestamp + 3 * H;
    const overview = await getOverview(db.pool, { now: newest + 2 * H + 10 * 60_000, trackedSymbols: ['BTC/USDT', 'SOL/USDT'], trackedTimeframes: ['1h', '1d'] });
    expect(overview.series.map((s) => `${s.symbol} ${s.timeframe} ${s.freshness.status}`)).toEqual([
      'BTC/USDT 1h warn', 'BTC/USDT 1d none', 'SOL/USDT 1h none', 'SOL/USDT 1d none',
    ]);
    const btc = overview.series[0]!;
    expect(btc).toMatchObject({ tracked: true, newest, candles: 239, freshness: { missedCandles: 1 } });
    expect(btc.latest).toMatchObject({ isSimulated: true, source: 'simulated' });
    expect(btc.latest!.change24h).toBeTypeOf('number');
    expect(btc.simulatedShare).toBeCloseTo(3 / 239);
    // Attempts on the UTC day of `now` (the data's day here).
    const atNow = await getOverview(db.pool, { now: NOW, trackedSymbols: [], trackedTimeframes: [] });
    expect(atNow.today).toMatchObject({ attempts: 9, real: 8, fallback: 1, failed: 0, since: Date.UTC(2022, 4, 11) });
  });
});
