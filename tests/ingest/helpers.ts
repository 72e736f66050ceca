import type pg from 'pg';
import { expect } from 'vitest';
import { computeOhlcvFeatures, FEATURE_COLUMNS } from '@/lib/features';
import type { Candle } from '@/lib/market/candle';
import { readRows, type Series } from '@/lib/ingest/series';
import { poolSessions } from '@/lib/db/sql';

/** Every column of a series' rows as text, computed_at included: equal snapshots mean nothing changed. */
export async function snapshot(pool: pg.Pool, series: Series): Promise<string[]> {
  const { rows } = await pool.query<{ row: string }>(
    'select t::text as row from ml_features_ohlcv t where symbol = $1 and timeframe = $2 order by timestamp',
    [series.symbol, series.timeframe],
  );
  return rows.map((r) => r.row);
}

export async function count(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`select count(*)::int as n from (${sql}) q`, params);
  return rows[0]!.n;
}

/**
 * The stored series holds exactly these candles, and its features equal a full recompute over
 * them within `tolerance` relative to max(1, |value|) (0: bit for bit).
 */
export async function expectStoredFeaturesMatchFullRecompute(pool: pg.Pool, series: Series, candles: readonly Candle[], tolerance = 1e-9) {
  const stored = await poolSessions(pool)((db) => readRows(db, series));
  expect(stored.map(({ timestamp, open, high, low, close, volume }) => ({ timestamp, open, high, low, close, volume }))).toEqual(candles);
  const expected = computeOhlcvFeatures(candles);
  let worst = { error: 0, where: '' };
  stored.forEach((row, i) => {
    for (const column of FEATURE_COLUMNS) {
      const a = row.features[column];
      const b = expected[i]![column];
      if (a === null || b === null) {
        if (a !== b) throw new Error(`${column} at row ${i}: stored ${a}, recomputed ${b}`);
        continue;
      }
      const error = Math.abs(a - b) / Math.max(1, Math.abs(b));
      if (error > worst.error) worst = { error, where: `${column} at row ${i} (${new Date(row.timestamp).toISOString()}): stored ${a}, recomputed ${b}` };
    }
  });
  expect(worst.error, worst.where).toBeLessThanOrEqual(tolerance);
}
