/**
 * Upsert throughput against a plain COPY of the same feature rows (`npx tsx bench/upsert.ts`).
 * Starts its own embedded PostgreSQL in a temporary folder (plain mode, like the product's
 * zero-setup database), so it measures the real rollup triggers too.
 *
 *   npx tsx bench/upsert.ts [--rows 200000] [--chunk 5000] [--trigger-rows 20000] [--rounds 3]
 *
 * Measured, each on a fresh table:
 *   copy text      COPY … FROM STDIN, text format, into a trigger-free copy of ml_features_ohlcv
 *                  (same columns, keys and checks).
 *   copy binary    the same in COPY's binary format. The faster COPY is the baseline.
 * Every writer's time includes turning the same JS rows into what it sends.
 *   upsert         upsertOhlcvFeatures, the production write path, into that same copy.
 *   upsert+table   the same into ml_features_ohlcv with its rollup triggers switched off.
 *   upsert+rollups the product's write path in plain mode: the upsert with the rollups
 *                  maintained from the batch (lib/ingest/rollups-batch.ts), atomic with it.
 *   rollup triggers the same rows with the plain-mode rollup triggers doing it instead (the path
 *                  before batch rollups; other writers still use them), on --trigger-rows rows.
 *   unchanged      the production path again over rows already stored (a re-run).
 * Each writer runs one transaction per series, as storeCandles does.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres } from '@/lib/db/embedded';
import { migrate } from '@/lib/db/migrate';
import { computeOhlcvFeatures, FEATURE_COLUMNS, FEATURE_VERSION } from '@/lib/features';
import type { Series } from '@/lib/ingest/series';
import { withBatchRollups } from '@/lib/ingest/rollups-batch';
import { upsertFeatureColumns, upsertOhlcvFeatures, type OhlcvFeatureRow, type UpsertPart } from '@/lib/ingest/upsert';
import { allocateFeatureColumns, toCandleColumns } from '@/lib/features';
import { simulateCandles } from '@/lib/market/simulate';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    chunk: { type: 'string', default: '5000' },
    'trigger-rows': { type: 'string', default: '20000' },
    rounds: { type: 'string', default: '3' },
  },
});
const ROWS = Number(args.rows);
const CHUNK = Number(args.chunk);
const TRIGGER_ROWS = Number(args['trigger-rows']);
const ROUNDS = Number(args.rounds);
const SYMBOLS = ['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT'];
const H = 3_600_000;
const START = Date.UTC(2015, 0, 1);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Feature rows for several hourly series, from the seeded simulator (reproducible run to run). */
function makeSeries(total: number): { series: Series; rows: OhlcvFeatureRow[] }[] {
  const perSeries = Math.ceil(total / SYMBOLS.length);
  return SYMBOLS.map((symbol, s) => {
    const seed = { timestamp: START - H, open: 100 * (s + 1), high: 100 * (s + 1), low: 100 * (s + 1), close: 100 * (s + 1), volume: 1000 };
    const times = Array.from({ length: perSeries }, (_, i) => START + i * H);
    const candles = simulateCandles([seed], times, { timeframe: '1h', seed: s + 1 });
    const features = computeOhlcvFeatures(candles);
    return { series: { symbol, timeframe: '1h' }, rows: candles.map((candle, i) => ({ candle, features: features[i]!, source: 'binance' })) };
  });
}

/**
 * COPY … FROM STDIN through node-postgres's custom-query ("submittable") interface: pg hands over
 * the connection when the server asks for data. No extra package (pg-copy-streams) needed.
 */
class CopyFrom {
  private resolve!: (rows: number) => void;
  private reject!: (error: Error) => void;
  private rows = 0;
  private failed: Error | null = null;
  readonly done = new Promise<number>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });
  constructor(
    private readonly text: string,
    private readonly chunks: Buffer[],
  ) {}
  submit(connection: { query(text: string): void }) {
    connection.query(this.text);
  }
  handleCopyInResponse(connection: { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void }) {
    for (const chunk of this.chunks) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }
  handleCommandComplete(message: { text: string }) {
    this.rows = Number(message.text.split(' ')[1]);
  }
  handleError(error: Error) {
    this.failed = error;
  }
  handleReadyForQuery() {
    if (this.failed) this.reject(this.failed);
    else this.resolve(this.rows);
  }
}

const COPY_COLUMNS = ['symbol', 'timeframe', 'timestamp', 'open_price', 'high_price', 'low_price', 'close_price', 'volume', ...FEATURE_COLUMNS, 'source', 'is_simulated', 'feature_version'];

/** The same rows in COPY's text format, serialised in the timed section like the upsert's parameters. */
function copyChunks(series: Series, rows: readonly OhlcvFeatureRow[]): Buffer[] {
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  for (const { candle, features, source } of rows) {
    const cells = [series.symbol, series.timeframe, new Date(candle.timestamp).toISOString(), candle.open, candle.high, candle.low, candle.close, candle.volume];
    for (const column of FEATURE_COLUMNS) cells.push(features[column] === null ? '\\N' : String(features[column]));
    cells.push(source, source === 'simulated' ? 't' : 'f', FEATURE_VERSION);
    lines.push(cells.join('\t'));
    if (lines.length === CHUNK) {
      chunks.push(Buffer.from(lines.join('\n') + '\n'));
      lines = [];
    }
  }
  if (lines.length) chunks.push(Buffer.from(lines.join('\n') + '\n'));
  return chunks;
}

const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);

/** The same rows in COPY's binary format: no number printing or parsing on either side. */
function binaryCopyChunks(series: Series, rows: readonly OhlcvFeatureRow[]): Buffer[] {
  const symbol = Buffer.from(series.symbol);
  const timeframe = Buffer.from(series.timeframe);
  const version = Buffer.from(FEATURE_VERSION);
  const chunks: Buffer[] = [];
  for (let start = 0; start < rows.length; start += CHUNK) {
    const part = rows.slice(start, start + CHUNK);
    const first = start === 0;
    const last = start + CHUNK >= rows.length;
    const fixed = 2 + (4 + symbol.length) + (4 + timeframe.length) + 12 + 5 * 12 + (4 + 1) + (4 + version.length);
    const buffer = Buffer.alloc((first ? 19 : 0) + part.length * (fixed + FEATURE_COLUMNS.length * 12 + 4 + 16) + (last ? 2 : 0));
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    let o = 0;
    const bytes = (b: Buffer) => {
      view.setInt32(o, b.length);
      b.copy(buffer, o + 4);
      o += 4 + b.length;
    };
    const float = (v: number | null) => {
      if (v === null) {
        view.setInt32(o, -1);
        o += 4;
        return;
      }
      view.setInt32(o, 8);
      view.setFloat64(o + 4, v);
      o += 12;
    };
    if (first) {
      COPY_SIGNATURE.copy(buffer, 0);
      o = 19; // signature, then two zero int32s: flags and header extension length
    }
    for (const { candle, features, source } of part) {
      view.setInt16(o, COPY_COLUMNS.length);
      o += 2;
      bytes(symbol);
      bytes(timeframe);
      view.setInt32(o, 8);
      view.setBigInt64(o + 4, BigInt(candle.timestamp - POSTGRES_EPOCH_MS) * 1000n);
      o += 12;
      for (const v of [candle.open, candle.high, candle.low, candle.close, candle.volume]) float(v);
      for (const column of FEATURE_COLUMNS) float(features[column]);
      bytes(Buffer.from(source));
      view.setInt32(o, 1);
      view.setUint8(o + 4, source === 'simulated' ? 1 : 0);
      o += 5;
      bytes(version);
    }
    if (last) {
      view.setInt16(o, -1);
      o += 2;
    }
    chunks.push(buffer.subarray(0, o));
  }
  return chunks;
}

interface Measured {
  label: string;
  rows: number;
  seconds: number;
}

async function timed(label: string, rows: number, work: () => Promise<void>): Promise<Measured> {
  const start = performance.now();
  await work();
  const seconds = (performance.now() - start) / 1000;
  console.log(`    ${label.padEnd(16)} ${rows.toLocaleString('en-US').padStart(9)} rows  ${seconds.toFixed(2).padStart(7)} s  ${Math.round(rows / seconds).toLocaleString('en-US').padStart(8)} rows/s`);
  return { label, rows, seconds };
}

const rate = (m: Measured) => m.rows / m.seconds;

async function main() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-bench-upsert-'));
  // Postgres runs as the OS user `postgres` when we are root: it must be able to enter the folder.
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'pg'), port: await freePort(), password: 'bench' });
  const client = new pg.Client({ connectionString: server.url });
  try {
    await client.connect();
    const db = client;
    await migrate(db);
    const data = makeSeries(ROWS);
    const total = data.reduce((n, d) => n + d.rows.length, 0);
    console.log(`Upsert vs COPY: ${total.toLocaleString('en-US')} feature rows (${data.length} hourly series), ${CHUNK} rows per statement, PostgreSQL ${(await client.query('show server_version')).rows[0].server_version} (embedded, plain mode)`);

    await client.query('create table bench_copy (like ml_features_ohlcv including all)');
    const perSeries = async (write: (s: Series, rows: OhlcvFeatureRow[]) => Promise<unknown>, subset = Infinity) => {
      for (const { series, rows } of data) {
        await client.query('begin');
        await write(series, rows.slice(0, Math.ceil(subset / data.length)));
        await client.query('commit');
      }
    };
    const upsertInto = (table: string) => (series: Series, rows: OhlcvFeatureRow[]) =>
      table === 'ml_features_ohlcv'
        ? upsertOhlcvFeatures(db, series, rows, { chunkSize: CHUNK })
        : // The production statement, aimed at the trigger-free copy.
          upsertOhlcvFeatures({ ...db, query: (sql, params) => db.query(sql.replaceAll('ml_features_ohlcv', table), params) }, series, rows, { chunkSize: CHUNK });

    // The product's plain-mode write: the same rows as columns, rollups maintained from the batch.
    const withRollups = (series: Series, rows: OhlcvFeatureRow[]) => {
      const features = allocateFeatureColumns(rows.length);
      rows.forEach((row, i) => FEATURE_COLUMNS.forEach((column, c) => (features[c]![i] = row.features[column] ?? NaN)));
      const part: UpsertPart = { series, batch: { candles: toCandleColumns(rows.map((r) => r.candle)), features, sources: rows.map((r) => r.source) }, indexes: rows.map((_, i) => i) };
      return withBatchRollups(db, [part], (options) => upsertFeatureColumns(db, [part], { ...options, chunkSize: CHUNK }));
    };
    const copyWith = (format: 'text' | 'binary') => (series: Series, rows: OhlcvFeatureRow[]) => {
      const chunks = format === 'text' ? copyChunks(series, rows) : binaryCopyChunks(series, rows);
      const query = new CopyFrom(`copy bench_copy (${COPY_COLUMNS.join(', ')}) from stdin${format === 'binary' ? ' with (format binary)' : ''}`, chunks);
      client.query(query as unknown as pg.QueryConfig);
      return query.done;
    };
    // Interleaved rounds, best of each: on a shared machine a single run mostly measures the neighbours.
    const best = new Map<string, Measured>();
    const keep = (m: Measured) => {
      const previous = best.get(m.label);
      if (!previous || rate(m) > rate(previous)) best.set(m.label, m);
    };
    for (let round = 1; round <= ROUNDS; round++) {
      console.log(`round ${round}/${ROUNDS}`);
      await client.query('truncate bench_copy, ml_features_ohlcv, ml_features_ohlcv_1h, ml_features_ohlcv_1d');
      keep(await timed('copy text', total, () => perSeries(copyWith('text'))));
      await client.query('truncate bench_copy');
      keep(await timed('copy binary', total, () => perSeries(copyWith('binary'))));
      await client.query('truncate bench_copy');
      keep(await timed('upsert', total, () => perSeries(upsertInto('bench_copy'))));
      await client.query("set ff.skip_rollups = 'on'");
      keep(await timed('upsert+table', total, () => perSeries(upsertInto('ml_features_ohlcv'))));
      await client.query('reset ff.skip_rollups');
      keep(await timed('unchanged', total, () => perSeries(upsertInto('ml_features_ohlcv'))));
      await client.query('truncate ml_features_ohlcv, ml_features_ohlcv_1h, ml_features_ohlcv_1d');
      keep(await timed('upsert+rollups', total, () => perSeries(withRollups)));
    }
    await client.query('truncate ml_features_ohlcv, ml_features_ohlcv_1h, ml_features_ohlcv_1d');
    const triggerRows = Math.min(TRIGGER_ROWS, total);
    const triggers = await timed('rollup triggers', triggerRows, () => perSeries(upsertInto('ml_features_ohlcv'), triggerRows));
    const [copyText, copyBinary, upsert, table, unchanged, rollups] = ['copy text', 'copy binary', 'upsert', 'upsert+table', 'unchanged', 'upsert+rollups'].map((label) => best.get(label)!);
    // The baseline is the faster COPY: the upsert must hold its own against the best plain load.
    const copy = rate(copyBinary!) >= rate(copyText!) ? copyBinary! : copyText!;
    console.log(`\nBest of ${ROUNDS} rounds:`);
    for (const m of [copyText!, copyBinary!, upsert!, table!, unchanged!, rollups!]) console.log(`  ${m.label.padEnd(16)} ${Math.round(rate(m)).toLocaleString('en-US').padStart(8)} rows/s`);
    console.log(`  ${'rollup triggers'.padEnd(16)} ${Math.round(rate(triggers)).toLocaleString('en-US').padStart(8)} rows/s (one run of ${triggerRows.toLocaleString('en-US')} rows)`);

    console.log(`\nRatio to COPY (${copy.label}, the faster one; goal ≥ 0.5):`);
    console.log(`  upsert statement, same table shape as COPY:    ${(rate(upsert) / rate(copy)).toFixed(2)}`);
    console.log(`  into ml_features_ohlcv, rollup triggers off:   ${(rate(table) / rate(copy)).toFixed(2)}`);
    console.log(`  into ml_features_ohlcv, rollups from the batch: ${(rate(rollups!) / rate(copy)).toFixed(2)}  (the product as it runs in plain mode)`);
    console.log(`  the same with the rollup triggers instead:     ${(rate(triggers) / rate(copy)).toFixed(2)}  (before batch rollups)`);
    console.log(`  re-run over unchanged rows:                    ${(rate(unchanged) / rate(copy)).toFixed(2)}`);
    if (rate(rollups!) < rate(table) / 2) {
      console.log(`\nRollup maintenance dominates: ${Math.round(rate(rollups!))} rows/s with it, ${Math.round(rate(table))} rows/s without.`);
    }
  } finally {
    await client.end().catch(() => {});
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
