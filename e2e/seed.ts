import { existsSync } from 'node:fs';
import path from 'node:path';
import { createPool } from '@/lib/db/pool';
import { recordAttempt, type AttemptOutcome } from '@/lib/ingest/attempts';
import { importCandlesFile } from '@/lib/ingest/import';
import { quarantineRows } from '@/lib/ingest/quarantine';
import { readCandles, readCandlesBefore } from '@/lib/ingest/series';
import { poolSessions, type Sessions } from '@/lib/db/sql';
import { storeCandles } from '@/lib/ingest/store';
import { generateLabels } from '@/lib/labels/generate';
import type { Candle } from '@/lib/market/candle';
import { seedFrom, seededRandom } from '@/lib/market/random';
import { simulateCandles, SIMULATED_SOURCE } from '@/lib/market/simulate';
import type { RejectedRow } from '@/lib/market/validate';
import { backfillSentimentRows } from '@/lib/sentiment/backfill';
import { scoreDocument, type DocumentKind } from '@/lib/sentiment/documents';
import { storeDocuments, storeFearGreed } from '@/lib/sentiment/store';

/**
 * The data the browser specs run against, written through the product's own paths: the real Binance
 * candles (CryptoDataDownload CSVs in the shared folder, never copied into the repository) imported
 * with the features import, a flagged simulated stretch after an outage, collection attempts,
 * quarantined rows, labels from the label generator and sentiment rows from the sentiment backfill.
 * Without the shared folder a deterministic synthetic series stands in, and this says so.
 */
export const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'BNB/USDT', 'ADA/USDT'] as const;
const FILES: Record<(typeof SYMBOLS)[number], string> = { 'BTC/USDT': 'BTCUSDT_1h.csv', 'ETH/USDT': 'ETHUSDT_1h.csv', 'BNB/USDT': 'BNBUSDT_1h.csv', 'ADA/USDT': 'ADAUSDT_1h.csv' };
const H = 3_600_000;
const D = 24 * H;
/** The newest candle of the real files (2022-06-13 00:00 UTC); the synthetic series ends there too. */
export const DATA_END = Date.UTC(2022, 5, 13);
const CANDLES = 16_319;

export const binanceDir = path.resolve(process.env.FF_SHARED_DIR ?? path.join(process.cwd(), '..', 'shared'), 'data', 'binance-1h');

export interface SeedSummary {
  real: boolean;
  candles: number;
  simulatedStretch: { symbol: string; from: number; to: number; candles: number };
  labels: number;
  sentimentRows: number;
}

function syntheticCandles(symbol: string): Candle[] {
  const start = DATA_END - (CANDLES - 1) * H;
  const price = { 'BTC/USDT': 11_000, 'ETH/USDT': 380, 'BNB/USDT': 23, 'ADA/USDT': 0.14 }[symbol] ?? 100;
  const anchor: Candle = { timestamp: start - H, open: price, high: price, low: price, close: price, volume: 1_000 };
  return simulateCandles([anchor], Array.from({ length: CANDLES }, (_, i) => start + i * H), { timeframe: '1h', seed: seedFrom(`e2e ${symbol}`) });
}

/** The four hourly Binance series (or, without the shared folder, a synthetic stand-in, said loudly). */
export async function seedCandles(sessions: Sessions, log: (line: string) => void): Promise<{ real: boolean; candles: number }> {
  const real = SYMBOLS.every((s) => existsSync(path.join(binanceDir, FILES[s])));
  if (!real) log(`REAL DATA NOT FOUND in ${binanceDir}: seeding a deterministic synthetic series instead (set FF_SHARED_DIR to use the real Binance candles).`);
  // One series per connection, all at once: each import is its own transaction under its own series lock.
  const written = await Promise.all(
    SYMBOLS.map(async (symbol) => {
      const started = Date.now();
      const result = real
        ? await importCandlesFile(sessions, { symbol, timeframe: '1h', file: path.join(binanceDir, FILES[symbol]), source: 'binance' })
        : await sessions((db) => storeCandles(db, { symbol, timeframe: '1h', source: 'synthetic', candles: syntheticCandles(symbol) }));
      log(`  ${symbol} 1h: ${result.written} candles stored in ${((Date.now() - started) / 1000).toFixed(1)} s${real ? ` from ${FILES[symbol]}` : ' (synthetic)'}`);
      return result.written;
    }),
  );
  return { real, candles: written.reduce((a, b) => a + b, 0) };
}

/**
 * A second timeframe for BTC: its last 180 days of hourly candles resampled to 4 hours (first open,
 * max high, min low, last close, summed volume), stored under a source that says so.
 */
async function seedResampled(sessions: Sessions) {
  const series = { symbol: 'BTC/USDT', timeframe: '4h' };
  await sessions(async (db) => {
    const hourly = await readCandles(db, { symbol: series.symbol, timeframe: '1h' }, DATA_END - 180 * D, DATA_END);
    const buckets = new Map<number, Candle[]>();
    for (const c of hourly) {
      const key = Math.floor(c.timestamp / (4 * H)) * 4 * H;
      buckets.set(key, [...(buckets.get(key) ?? []), c]);
    }
    const candles = [...buckets.entries()]
      .filter(([, group]) => group.length === 4)
      .map(([timestamp, group]) => ({
        timestamp,
        open: group[0]!.open,
        high: Math.max(...group.map((c) => c.high)),
        low: Math.min(...group.map((c) => c.low)),
        close: group[3]!.close,
        volume: group.reduce((sum, c) => sum + c.volume, 0),
      }));
    await storeCandles(db, { ...series, source: 'binance-1h-resampled', candles });
  });
}

/** An outage on ADA after the data ends: 5 missing hours, then 48 hours the simulator filled in (flagged). */
async function seedSimulatedStretch(sessions: Sessions) {
  const series = { symbol: 'ADA/USDT', timeframe: '1h' };
  return sessions(async (db) => {
    const history = await readCandlesBefore(db, series, DATA_END + H, 500);
    const openTimes = Array.from({ length: 48 }, (_, i) => DATA_END + (6 + i) * H);
    const candles = simulateCandles(history, openTimes, { timeframe: '1h', seed: seedFrom('e2e ADA outage') });
    await storeCandles(db, { ...series, source: SIMULATED_SOURCE, candles });
    return { symbol: series.symbol, from: openTimes[0]!, to: openTimes[openTimes.length - 1]!, candles: candles.length };
  });
}

/** A week of hourly collection attempts per symbol, ending now: mostly real, ADA with a bad day. */
async function seedAttempts(sessions: Sessions, now: number) {
  const random = seededRandom(seedFrom('e2e attempts'));
  await sessions(async (db) => {
    for (const symbol of SYMBOLS) {
      for (let hour = 7 * 24 - 1; hour >= 0; hour--) {
        const startedAt = now - hour * H - 30 * 60_000;
        const failing = symbol === 'ADA/USDT' && hour < 30 ? 0.35 : 0.015;
        const roll = random();
        const outcome: AttemptOutcome = roll < failing * 0.8 ? 'fallback' : roll < failing ? 'failed' : 'real';
        await recordAttempt(db, {
          source: 'binance', symbol, timeframe: '1h', startedAt, finishedAt: startedAt + 800, outcome,
          rowsWritten: outcome === 'failed' ? 0 : 1, rowsSimulated: outcome === 'fallback' ? 1 : 0, rowsQuarantined: 0,
          error: outcome === 'real' ? null : outcome === 'fallback' ? 'binance GET /api/v3/klines: connect ECONNREFUSED' : 'request timed out after 10000 ms',
        });
      }
    }
  });
}

/** Rows a source sent that validation rejected, as the collector keeps them. */
async function seedQuarantine(sessions: Sessions) {
  const rules: [RejectedRow['rule'], (c: number) => string][] = [
    ['high', (c) => `high ${(c * 0.98).toFixed(1)} below close ${c}`],
    ['jump', (c) => `close ${(c * 1.8).toFixed(1)} is 80% from the previous close ${c}`],
    ['volume', () => 'volume -4.2 is negative'],
    ['alignment', () => 'open time 00:17 is not on the 1h grid'],
  ];
  const rows: RejectedRow[] = Array.from({ length: 42 }, (_, i) => {
    const [rule, reason] = rules[i % rules.length]!;
    const timestamp = DATA_END - (i + 1) * 7 * H;
    return { timestamp, rule, reason: reason(1_800 + i), payload: [timestamp, 1_800 + i, 1_790 + i, 1_810 + i, 1_805 + i, 1_234.5] } as RejectedRow;
  });
  await sessions((db) => quarantineRows(db, { source: 'binance', symbol: 'ETH/USDT', timeframe: '1h' }, rows));
}

const HEADLINES: ((coin: string, n: number) => [string, DocumentKind])[] = [
  (c: string, n: number) => [`${c} rallies ${n}% as traders turn bullish`, 'news'],
  (c: string, n: number) => [`${c} plunges ${n}% after exchange outage sparks panic`, 'news'],
  (c: string, n: number) => [`${c} holds steady near support, volume ${n}% lower`, 'news'],
  (c: string, n: number) => [`Great week for ${c} holders, up ${n}% and still strong!`, 'social'],
  (c: string, n: number) => [`Worried about ${c}, down ${n}% and it looks terrible`, 'social'],
];

/** Fear & Greed values and headlines for the last 60 days of the data, then the sentiment backfill computes the rows. */
async function seedSentiment(sessions: Sessions, log: (line: string) => void): Promise<number> {
  const from = DATA_END - 60 * D;
  const random = seededRandom(seedFrom('e2e sentiment'));
  const fearGreed = Array.from({ length: 63 }, (_, i) => {
    const value = Math.round(Math.max(5, Math.min(95, 30 + 25 * Math.sin(i / 9) + 10 * (random() - 0.5))));
    return { timestamp: from - 2 * D + i * D, value, classification: value < 25 ? 'Extreme Fear' : value < 45 ? 'Fear' : value < 55 ? 'Neutral' : value < 75 ? 'Greed' : 'Extreme Greed' };
  });
  const coins = ['Bitcoin', 'BTC', 'Ethereum', 'ETH', 'BNB', 'Cardano', 'ADA'];
  const documents = Array.from({ length: 60 * 8 }, (_, i) => {
    const [title, kind] = HEADLINES[Math.floor(random() * HEADLINES.length)]!(coins[i % coins.length]!, Math.round(1 + random() * 120) / 10 + i / 1000);
    return scoreDocument({ kind, source: kind === 'news' ? 'coindesk' : 'reddit:r/CryptoCurrency', title, url: null, publishedAt: from + i * 3 * H + Math.floor(random() * 3 * H) });
  });
  await sessions(async (db) => {
    await storeFearGreed(db, fearGreed, 'alternative.me', DATA_END);
    await storeDocuments(db, documents, DATA_END);
  });
  const started = Date.now();
  const { written } = await backfillSentimentRows({ sessions, now: () => DATA_END + D }, { symbols: SYMBOLS, from, to: DATA_END });
  log(`  sentiment: ${written} hourly rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return written;
}

async function seedLabels(sessions: Sessions, log: (line: string) => void): Promise<number> {
  const started = Date.now();
  const result = await generateLabels({ sessions, now: () => DATA_END + D }, { symbols: SYMBOLS, timeframe: '1h', from: DATA_END - 120 * D, to: DATA_END });
  const written = Object.values(result.written).reduce((a, b) => a + b, 0);
  log(`  labels: ${written} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return written;
}

export async function seedDashboard(url: string, log: (line: string) => void = console.log): Promise<SeedSummary> {
  const pool = createPool(url, { max: SYMBOLS.length });
  const sessions = poolSessions(pool);
  try {
    const { real, candles } = await seedCandles(sessions, log);
    await seedResampled(sessions);
    const simulatedStretch = await seedSimulatedStretch(sessions);
    await seedAttempts(sessions, Date.now());
    await seedQuarantine(sessions);
    const labels = await seedLabels(sessions, log);
    const sentimentRows = await seedSentiment(sessions, log);
    return { real, candles, simulatedStretch, labels, sentimentRows };
  } finally {
    await pool.end();
  }
}

// `npx tsx e2e/seed.ts <database url>` seeds any database the same way (for looking at the pages by hand).
if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.dirname, 'seed.ts')) {
  const url = process.argv[2];
  if (!url) throw new Error('usage: npx tsx e2e/seed.ts <postgresql://…>');
  seedDashboard(url).then((summary) => console.log(summary));
}
