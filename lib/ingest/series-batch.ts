import type { Session } from '@/lib/db/sql';
import { FEATURE_COLUMNS, type EngineCheckpoint } from '@/lib/features';
import { CANDLE_COLUMNS, toCandle, toRow, type CandleRecord, type RowRecord, type Series, type StoredCandle, type StoredRow } from './series';

/**
 * The reads and writes of storing many series at once, each one statement for all of them
 * (unnest() of the series' keys, a lateral subquery per series on the primary key), so a cycle
 * of a thousand series costs a few round trips, not a few thousand.
 */
export interface SeriesRange extends Series {
  /** First open time the batch writes or recomputes. */
  from: number;
  /** Last open time to read (inclusive); undefined reads to the series' end. */
  until?: number;
}

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
const keys = (ranges: readonly SeriesRange[]) => [ranges.map((r) => r.symbol), ranges.map((r) => r.timeframe)];
const ROW_COLUMNS = `${CANDLE_COLUMNS}, ${FEATURE_COLUMNS.join(', ')}, feature_version, candles_since_gap`;

/** Per series, its newest stored row before `from` (undefined when there is none). */
export async function readRowsJustBefore(db: Session, ranges: readonly SeriesRange[]): Promise<(StoredRow | undefined)[]> {
  const { rows } = await db.query<RowRecord & { i: number }>(
    `select s.i::int as i, r.* from unnest($1::text[], $2::text[], $3::timestamptz[]) with ordinality as s(symbol, timeframe, start, i)
     cross join lateral (
       select ${ROW_COLUMNS} from ml_features_ohlcv
       where symbol = s.symbol and timeframe = s.timeframe and timestamp < s.start order by timestamp desc limit 1
     ) r`,
    [...keys(ranges), ranges.map((r) => iso(r.from))],
  );
  const found: (StoredRow | undefined)[] = ranges.map(() => undefined);
  for (const row of rows) found[row.i - 1] = toRow(row);
  return found;
}

/** Per series, its stored candles (no features) with open time in [from, until], oldest first. */
export async function readCandlesFrom(db: Session, ranges: readonly SeriesRange[]): Promise<(StoredCandle & { featureVersion: string })[][]> {
  const { rows } = await db.query<CandleRecord & { i: number; feature_version: string }>(
    `select s.i::int as i, r.* from unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) with ordinality as s(symbol, timeframe, start, until, i)
     cross join lateral (
       select ${CANDLE_COLUMNS}, feature_version, timestamp as t from ml_features_ohlcv
       where symbol = s.symbol and timeframe = s.timeframe and timestamp >= s.start and (s.until is null or timestamp <= s.until)
     ) r
     order by s.i, r.t`,
    [...keys(ranges), ranges.map((r) => iso(r.from)), ranges.map((r) => iso(r.until))],
  );
  const found: (StoredCandle & { featureVersion: string })[][] = ranges.map(() => []);
  for (const row of rows) found[row.i - 1]!.push({ ...toCandle(row), featureVersion: row.feature_version });
  return found;
}

/** Per series, its stored rows with open time in [from, until], oldest first. */
export async function readRowsFrom(db: Session, ranges: readonly SeriesRange[]): Promise<StoredRow[][]> {
  const { rows } = await db.query<RowRecord & { i: number }>(
    `select s.i::int as i, r.* from unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[]) with ordinality as s(symbol, timeframe, start, until, i)
     cross join lateral (
       select ${ROW_COLUMNS}, timestamp as t from ml_features_ohlcv
       where symbol = s.symbol and timeframe = s.timeframe and timestamp >= s.start and (s.until is null or timestamp <= s.until)
     ) r
     order by s.i, r.t`,
    [...keys(ranges), ranges.map((r) => iso(r.from)), ranges.map((r) => iso(r.until))],
  );
  const found: StoredRow[][] = ranges.map(() => []);
  for (const row of rows) found[row.i - 1]!.push(toRow(row));
  return found;
}

export interface StoredCheckpoint extends EngineCheckpoint {
  featureVersion: string;
}

/** Per series, its engine checkpoint (ml_engine_state), if any. */
export async function readCheckpoints(db: Session, series: readonly Series[]): Promise<(StoredCheckpoint | undefined)[]> {
  const { rows } = await db.query<{ i: number; feature_version: string; layout: string; ts: number; state: Buffer }>(
    `select s.i::int as i, e.feature_version, e.layout, (extract(epoch from e.last_timestamp) * 1000)::float8 as ts, e.state
     from unnest($1::text[], $2::text[]) with ordinality as s(symbol, timeframe, i)
     join ml_engine_state e on e.symbol = s.symbol and e.timeframe = s.timeframe`,
    [series.map((s) => s.symbol), series.map((s) => s.timeframe)],
  );
  const found: (StoredCheckpoint | undefined)[] = series.map(() => undefined);
  for (const row of rows) {
    if (row.state.length % 8 !== 0) continue;
    // Copied into an aligned buffer: a Buffer from the driver may start at any byte offset.
    const state = new Float64Array(new Uint8Array(row.state).buffer);
    found[row.i - 1] = { featureVersion: row.feature_version, layout: row.layout, lastTimestamp: row.ts, state };
  }
  return found;
}

/** Replaces the checkpoints of these series, in one statement (in the caller's transaction). */
export async function writeCheckpoints(db: Session, entries: readonly (Series & StoredCheckpoint)[]): Promise<void> {
  if (!entries.length) return;
  await db.query(
    `insert into ml_engine_state (symbol, timeframe, feature_version, layout, last_timestamp, state, updated_at)
     select symbol, timeframe, feature_version, layout, last_timestamp, state, now()
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::bytea[])
       as u(symbol, timeframe, feature_version, layout, last_timestamp, state)
     on conflict (symbol, timeframe) do update set feature_version = excluded.feature_version, layout = excluded.layout,
       last_timestamp = excluded.last_timestamp, state = excluded.state, updated_at = now()`,
    [
      entries.map((e) => e.symbol),
      entries.map((e) => e.timeframe),
      entries.map((e) => e.featureVersion),
      entries.map((e) => e.layout),
      entries.map((e) => iso(e.lastTimestamp)),
      entries.map((e) => Buffer.from(e.state.buffer, e.state.byteOffset, e.state.byteLength)),
    ],
  );
}

/** Drops checkpoints at or after each range's `from`: a write there has made them stale. */
export async function dropStaleCheckpoints(db: Session, ranges: readonly SeriesRange[]): Promise<void> {
  if (!ranges.length) return;
  await db.query(
    `delete from ml_engine_state e using unnest($1::text[], $2::text[], $3::timestamptz[]) as s(symbol, timeframe, start)
     where e.symbol = s.symbol and e.timeframe = s.timeframe and e.last_timestamp >= s.start`,
    [...keys(ranges), ranges.map((r) => iso(r.from))],
  );
}

/** Per series, its newest stored candle and its newest real (not simulated) one. */
export async function readLastCandles(db: Session, series: readonly Series[]): Promise<{ lastAny: StoredCandle | null; lastReal: StoredCandle | null }[]> {
  const { rows } = await db.query<CandleRecord & { i: number; real_only: boolean }>(
    `select s.i::int as i, r.* from unnest($1::text[], $2::text[]) with ordinality as s(symbol, timeframe, i)
     cross join lateral (
       (select ${CANDLE_COLUMNS}, false as real_only from ml_features_ohlcv
        where symbol = s.symbol and timeframe = s.timeframe order by timestamp desc limit 1)
       union all
       (select ${CANDLE_COLUMNS}, true from ml_features_ohlcv
        where symbol = s.symbol and timeframe = s.timeframe and not is_simulated order by timestamp desc limit 1)
     ) r`,
    [series.map((s) => s.symbol), series.map((s) => s.timeframe)],
  );
  const found = series.map(() => ({ lastAny: null as StoredCandle | null, lastReal: null as StoredCandle | null }));
  for (const row of rows) found[row.i - 1]![row.real_only ? 'lastReal' : 'lastAny'] = toCandle(row);
  return found;
}
