import { epochMs } from '@/lib/db/fragments';
import type { Session } from '@/lib/db/sql';
import { FEATURE_COLUMNS, type OhlcvFeatures } from '@/lib/features';
import type { Candle } from '@/lib/market/candle';

/** One stored series: a symbol on a timeframe. */
export interface Series {
  symbol: string;
  timeframe: string;
}

export interface StoredCandle extends Candle {
  source: string;
  isSimulated: boolean;
}

export interface StoredRow extends StoredCandle {
  features: OhlcvFeatures;
  featureVersion: string;
  /** Consecutive candles without a gap ending at this one (null: stored before this was kept). */
  candlesSinceGap: number | null;
}

// Milliseconds as a double: exact for every open time, and a number whatever the driver's int8 parsing.
const TIMESTAMP_MS = epochMs('timestamp');
export const CANDLE_COLUMNS = `${TIMESTAMP_MS} as ts, open_price, high_price, low_price, close_price, volume, source, is_simulated`;

export interface CandleRecord {
  ts: number;
  open_price: number;
  high_price: number;
  low_price: number;
  close_price: number;
  volume: number;
  source: string;
  is_simulated: boolean;
}

export type RowRecord = CandleRecord & Record<string, unknown> & { feature_version: string; candles_since_gap: number | null };

export function toCandle(r: CandleRecord): StoredCandle {
  return {
    timestamp: r.ts,
    open: r.open_price,
    high: r.high_price,
    low: r.low_price,
    close: r.close_price,
    volume: r.volume,
    source: r.source,
    isSimulated: r.is_simulated,
  };
}

export function toRow(r: RowRecord): StoredRow {
  const features = Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, r[c] as number | null])) as OhlcvFeatures;
  return { ...toCandle(r), features, featureVersion: r.feature_version, candlesSinceGap: r.candles_since_gap };
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
// Optional bounds: a null parameter leaves that side open.
const IN_RANGE = '($3::timestamptz is null or timestamp >= $3) and ($4::timestamptz is null or timestamp <= $4)';

/** The `count` stored rows just before `before`, oldest first (the warm-up history of a batch). */
export async function readRowsBefore(db: Session, series: Series, before: number, count: number): Promise<StoredRow[]> {
  const { rows } = await db.query<RowRecord>(
    `select * from (
       select ${CANDLE_COLUMNS}, ${FEATURE_COLUMNS.join(', ')}, feature_version, candles_since_gap, timestamp as t
       from ml_features_ohlcv where symbol = $1 and timeframe = $2 and timestamp < $3
       order by timestamp desc limit $4
     ) recent order by t`,
    [series.symbol, series.timeframe, iso(before), count],
  );
  return rows.map(toRow);
}

/** Stored rows with open time in [from, to] (either bound optional), oldest first. */
export async function readRows(db: Session, series: Series, from?: number, to?: number): Promise<StoredRow[]> {
  const { rows } = await db.query<RowRecord>(
    `select ${CANDLE_COLUMNS}, ${FEATURE_COLUMNS.join(', ')}, feature_version, candles_since_gap
     from ml_features_ohlcv where symbol = $1 and timeframe = $2 and ${IN_RANGE}
     order by timestamp`,
    [series.symbol, series.timeframe, iso(from), iso(to)],
  );
  return rows.map(toRow);
}

/** The newest stored candle, optionally the newest real (non-simulated) one. */
export async function lastStoredCandle(db: Session, series: Series, { realOnly = false } = {}): Promise<StoredCandle | null> {
  const { rows } = await db.query<CandleRecord>(
    `select ${CANDLE_COLUMNS} from ml_features_ohlcv
     where symbol = $1 and timeframe = $2 ${realOnly ? 'and not is_simulated' : ''}
     order by timestamp desc limit 1`,
    [series.symbol, series.timeframe],
  );
  return rows[0] ? toCandle(rows[0]) : null;
}

/** Stored candles (no features) in [from, to] (either bound optional), oldest first. */
export async function readCandles(db: Session, series: Series, from?: number, to?: number): Promise<StoredCandle[]> {
  const { rows } = await db.query<CandleRecord>(
    `select ${CANDLE_COLUMNS} from ml_features_ohlcv
     where symbol = $1 and timeframe = $2 and ${IN_RANGE} order by timestamp`,
    [series.symbol, series.timeframe, iso(from), iso(to)],
  );
  return rows.map(toCandle);
}

/** Open times stored in [from, to], ascending: the input of gap detection. */
export async function readStoredTimestamps(db: Session, series: Series, from?: number, to?: number): Promise<number[]> {
  const { rows } = await db.query<{ ts: number }>(
    `select ${TIMESTAMP_MS} as ts from ml_features_ohlcv
     where symbol = $1 and timeframe = $2 and ${IN_RANGE} order by timestamp`,
    [series.symbol, series.timeframe, iso(from), iso(to)],
  );
  return rows.map((r) => r.ts);
}

/** The `count` stored candles just before `before`, oldest first. */
export async function readCandlesBefore(db: Session, series: Series, before: number, count: number): Promise<StoredCandle[]> {
  const { rows } = await db.query<CandleRecord>(
    `select * from (
       select ${CANDLE_COLUMNS}, timestamp as t from ml_features_ohlcv
       where symbol = $1 and timeframe = $2 and timestamp < $3 order by timestamp desc limit $4
     ) recent order by t`,
    [series.symbol, series.timeframe, iso(before), count],
  );
  return rows.map(toCandle);
}
