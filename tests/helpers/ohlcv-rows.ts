/**
 * Hand-made OHLCV feature rows for rollup tests, and the rollups they must produce, computed here
 * independently of the SQL under test.
 */
export interface OhlcvRow {
  timestamp: Date;
  symbol: string;
  timeframe: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  rsi: number | null;
  macd: number | null;
  isSimulated: boolean;
}

export function makeRows(symbol: string, timeframe: string, start: Date, stepMinutes: number, count: number, seed = 1): OhlcvRow[] {
  let state = seed;
  const random = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const rows: OhlcvRow[] = [];
  let price = 100;
  for (let i = 0; i < count; i += 1) {
    const open = price;
    const close = Math.max(1, open + (random() - 0.5) * 4);
    const high = Math.max(open, close) + random() * 2;
    const low = Math.max(0.5, Math.min(open, close) - random() * 2);
    rows.push({
      timestamp: new Date(start.getTime() + i * stepMinutes * 60_000),
      symbol,
      timeframe,
      open,
      high,
      low,
      close,
      volume: i % 7 === 3 ? 0 : Math.round(random() * 1000) / 10,
      rsi: i < 3 ? null : 30 + random() * 40,
      macd: (random() - 0.5) * 10,
      isSimulated: i % 5 === 0,
    });
    price = close;
  }
  return rows;
}

export function insertOhlcvSql(rows: OhlcvRow[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const values = [row.timestamp, row.symbol, row.timeframe, row.open, row.high, row.low, row.close, row.volume, row.rsi, row.macd,
      row.isSimulated ? 'simulated' : 'binance', row.isSimulated];
    const placeholders = values.map((value) => {
      params.push(value);
      return `$${params.length}`;
    });
    return `(${placeholders.join(', ')}, 'test-v1')`;
  });
  return {
    sql: `insert into ml_features_ohlcv (timestamp, symbol, timeframe, open_price, high_price, low_price, close_price, volume, rsi, macd, source, is_simulated, feature_version)
          values ${tuples.join(', ')}
          on conflict (symbol, timeframe, timestamp) do update set
            open_price = excluded.open_price, high_price = excluded.high_price, low_price = excluded.low_price,
            close_price = excluded.close_price, volume = excluded.volume, rsi = excluded.rsi, macd = excluded.macd,
            source = excluded.source, is_simulated = excluded.is_simulated`,
    params,
  };
}

export interface ExpectedRollup {
  symbol: string;
  timeframe: string;
  bucket: number;
  open_price: number;
  high_price: number;
  low_price: number;
  close_price: number;
  volume: number;
  vwap: number | null;
  rsi: number | null;
  macd: number | null;
  candle_count: number;
  simulated_count: number;
}

/** The rollup definition, in plain TypeScript: buckets of `bucketMs` aligned to the unix epoch (UTC). */
export function expectedRollups(rows: OhlcvRow[], bucketMs: number): ExpectedRollup[] {
  const groups = new Map<string, OhlcvRow[]>();
  for (const row of rows) {
    const bucket = Math.floor(row.timestamp.getTime() / bucketMs) * bucketMs;
    const key = `${row.symbol}|${row.timeframe}|${bucket}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()]
    .map(([key, members]) => {
      const sorted = [...members].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
      const first = sorted[0]!;
      const last = sorted[sorted.length - 1]!;
      const volume = sorted.reduce((sum, r) => sum + r.volume, 0);
      const priceVolume = sorted.reduce((sum, r) => sum + ((r.high + r.low + r.close) / 3) * r.volume, 0);
      const [symbol, timeframe, bucket] = key.split('|');
      return {
        symbol: symbol!,
        timeframe: timeframe!,
        bucket: Number(bucket),
        open_price: first.open,
        high_price: Math.max(...sorted.map((r) => r.high)),
        low_price: Math.min(...sorted.map((r) => r.low)),
        close_price: last.close,
        volume,
        vwap: volume === 0 ? null : priceVolume / volume,
        rsi: last.rsi,
        macd: last.macd,
        candle_count: sorted.length,
        simulated_count: sorted.filter((r) => r.isSimulated).length,
      };
    })
    .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.timeframe.localeCompare(b.timeframe) || a.bucket - b.bucket);
}

export const ROLLUP_COLUMNS = `symbol, timeframe, bucket, open_price, high_price, low_price, close_price, volume, vwap, rsi, macd,
  candle_count::float8 as candle_count, simulated_count::float8 as simulated_count`;

/** Rows read back from a rollup, with the bucket as epoch ms, ordered like expectedRollups. */
export function normalizeRollups(rows: Record<string, unknown>[]): ExpectedRollup[] {
  return rows
    .map((row) => ({ ...row, bucket: new Date(row.bucket as string | Date).getTime() }) as ExpectedRollup)
    .sort((a, b) => a.symbol.localeCompare(b.symbol) || a.timeframe.localeCompare(b.timeframe) || a.bucket - b.bucket);
}

/** Equal up to floating-point summation order (1e-9 relative). */
export function expectRollupsClose(actual: ExpectedRollup[], expected: ExpectedRollup[], expectFn: (ok: boolean, msg: string) => void): void {
  expectFn(actual.length === expected.length, `rollup count ${actual.length} != ${expected.length}`);
  expected.forEach((want, i) => {
    const got = actual[i]!;
    for (const [column, value] of Object.entries(want)) {
      const have = (got as unknown as Record<string, unknown>)[column];
      const same = typeof value === 'number' && typeof have === 'number'
        ? Math.abs(have - value) <= 1e-9 * Math.max(1, Math.abs(value))
        : have === value;
      expectFn(same, `${want.symbol} ${want.timeframe} ${new Date(want.bucket).toISOString()} ${column}: got ${String(have)}, want ${String(value)}`);
    }
  });
}
