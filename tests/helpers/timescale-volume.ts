import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Session } from '@/lib/db/sql';
import { computeOhlcvFeatures } from '@/lib/features';
import { upsertOhlcvFeatures } from '@/lib/ingest/upsert';
import type { Candle } from '@/lib/market/candle';
import { parseCandlesCsv } from '@/lib/market/csv';
import { normal, seededRandom, seedFrom } from '@/lib/market/random';
import { binanceDir } from './shared';

/**
 * The data set the TimescaleDB measurements run on: the four real Binance 1h series (about 1.9
 * years each) and 90 days of 1m candles per symbol drawn inside the real hourly candles, both moved
 * forward by whole weeks so that they end at the current hour (retention, compression and refresh
 * windows are relative to now, and a whole-week shift keeps weekdays and the 00:00 UTC VWAP reset).
 */
const H = 3_600_000;
const M = 60_000;
const WEEK = 7 * 24 * H;

export const VOLUME_SYMBOLS = { 'BTC/USDT': 'BTCUSDT_1h.csv', 'ETH/USDT': 'ETHUSDT_1h.csv', 'BNB/USDT': 'BNBUSDT_1h.csv', 'ADA/USDT': 'ADAUSDT_1h.csv' } as const;
export type VolumeSymbol = keyof typeof VOLUME_SYMBOLS;

export function realHourly(symbol: VolumeSymbol): Candle[] {
  return parseCandlesCsv(readFileSync(path.join(binanceDir, VOLUME_SYMBOLS[symbol]), 'utf8')).candles;
}

/** Whole weeks that move `lastOpen` to the newest whole hour at or before `now` (never later). */
export function weekShift(lastOpen: number, now: number): number {
  return Math.floor((Math.floor(now / H) * H - lastOpen) / WEEK) * WEEK;
}

const decimals = (values: readonly number[]) =>
  Math.max(...values.slice(0, 500).map((v) => (String(v).split('.')[1] ?? '').length));
const roundTo = (value: number, places: number) => Number(value.toFixed(places));

/**
 * Sixty 1m candles inside each real hourly candle: a random walk from the hour's open to its close
 * (a Brownian bridge), kept within its low and high, touching both, prices on the series' tick
 * (as many decimals as the real file has) and the hour's volume split with random weights. That is
 * the shape compression meets on an exchange: a tick grid, runs of equal prices, bursty volume.
 */
export function minuteCandles(hourly: readonly Candle[], seedText: string): Candle[] {
  const random = seededRandom(seedFrom(seedText));
  const pricePlaces = decimals(hourly.map((c) => c.close));
  const volumePlaces = Math.min(5, decimals(hourly.map((c) => c.volume)) + 2);
  const out: Candle[] = [];
  for (const hour of hourly) {
    const steps = Array.from({ length: 60 }, () => normal(random));
    const walk = [0];
    for (const s of steps) walk.push(walk[walk.length - 1]! + s);
    const span = Math.max(hour.high - hour.low, 10 ** -pricePlaces);
    const bridge = walk.map((w, i) => hour.open + (hour.close - hour.open) * (i / 60) + (w - walk[60]! * (i / 60)) * span * 0.08);
    const clamp = (p: number) => roundTo(Math.min(hour.high, Math.max(hour.low, p)), pricePlaces);
    const weights = steps.map(() => random() ** 3 + 0.01);
    const total = weights.reduce((a, b) => a + b, 0);
    const highMinute = Math.floor(random() * 60);
    const lowMinute = Math.floor(random() * 60);
    for (let i = 0; i < 60; i++) {
      const open = i === 0 ? hour.open : out[out.length - 1]!.close;
      const close = i === 59 ? hour.close : clamp(bridge[i + 1]!);
      const wick = span * 0.05 * random();
      const high = i === highMinute ? hour.high : clamp(Math.max(open, close) + wick);
      const low = i === lowMinute ? hour.low : clamp(Math.min(open, close) - wick);
      out.push({ timestamp: hour.timestamp + i * M, open, high: Math.max(high, open, close), low: Math.min(low, open, close), close, volume: roundTo((hour.volume * weights[i]!) / total, volumePlaces) });
    }
  }
  return out;
}

export interface VolumeSeries {
  symbol: VolumeSymbol;
  timeframe: '1h' | '1m';
  candles: Candle[];
}

/** The real hourly series and `minuteDays` of 1m candles per symbol, shifted to end at `now`. */
export function volumeSeries(now: number, { minuteDays = 90, symbols = Object.keys(VOLUME_SYMBOLS) as VolumeSymbol[] } = {}): VolumeSeries[] {
  return symbols.flatMap((symbol) => {
    const real = realHourly(symbol);
    const shift = weekShift(real[real.length - 1]!.timestamp, now);
    const hourly = real.map((c) => ({ ...c, timestamp: c.timestamp + shift }));
    const lastHours = hourly.slice(-minuteDays * 24);
    const series: VolumeSeries[] = [{ symbol, timeframe: '1h', candles: hourly }];
    if (minuteDays > 0) series.push({ symbol, timeframe: '1m', candles: minuteCandles(lastHours, `1m ${symbol}`) });
    return series;
  });
}

/** Stores a series with its features through the product's own upsert path, in bounded transactions. */
export async function storeVolumeSeries(db: Session, series: VolumeSeries, source = 'binance'): Promise<number> {
  const features = computeOhlcvFeatures(series.candles);
  const rows = series.candles.map((candle, i) => ({ candle, features: features[i]!, source }));
  let written = 0;
  for (let start = 0; start < rows.length; start += 20_000) {
    await db.query('begin');
    written += await upsertOhlcvFeatures(db, { symbol: series.symbol, timeframe: series.timeframe }, rows.slice(start, start + 20_000));
    await db.query('commit');
  }
  return written;
}
