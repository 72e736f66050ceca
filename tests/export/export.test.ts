import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportColumns, METADATA_KEY, parseExportQuery, runExportCommand, trainingSetDownload, type TrainingSetMetadata } from '@/lib/export';
import { poolSessions } from '@/lib/db/sql';
import { generateLabels } from '@/lib/labels/generate';
import { SENTIMENT_FEATURE_COLUMNS, type SentimentFeatures } from '@/lib/sentiment/features';
import { upsertSentimentRow } from '@/lib/sentiment/store';
import { createMigratedDatabase, type MigratedDatabase } from '../helpers/db';
import { candlesFromCloses, HOUR_MS, insertCandles, wanderingCloses } from '../labels/candle-rows';

const T0 = Date.UTC(2024, 3, 1);
const NOW = T0 + 61 * HOUR_MS;
const iso = (hours: number) => new Date(T0 + hours * HOUR_MS).toISOString();

function sentiment(value: number): SentimentFeatures {
  const f = Object.fromEntries(SENTIMENT_FEATURE_COLUMNS.map((c) => [c, value])) as SentimentFeatures;
  return { ...f, bullish_sentiment_ratio: 0.5, bearish_sentiment_ratio: 0.25, neutral_sentiment_ratio: 0.25 };
}

describe('training-set export', () => {
  let db: MigratedDatabase;
  let dir: string;
  const run = (args: string[]) => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    return runExportCommand(args, { db: db.pool, now: () => NOW, stdout: (t) => stdout.push(t), stderr: (t) => stderr.push(t) }).then((code) => ({ code, stdout: stdout.join('\n'), stderr: stderr.join('\n') }));
  };
  const readCsv = (file: string) => parse(readFileSync(path.join(dir, file), 'utf8'), { columns: true }) as Record<string, string>[];
  const readMeta = (file: string) => JSON.parse(readFileSync(path.join(dir, `${file}.meta.json`), 'utf8')) as TrainingSetMetadata & { file: string };
  const base = (file: string) => ['export', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--from', iso(24), '--to', iso(60), '--label', 'price_direction', '--output', path.join(dir, file)];

  beforeAll(async () => {
    db = await createMigratedDatabase();
    dir = mkdtempSync(path.join(tmpdir(), 'ff-export-'));
    for (const [symbol, seed] of [['BTC/USDT', 1], ['ETH/USDT', 2]] as const) {
      await insertCandles(db.pool, symbol, '1h', candlesFromCloses(T0, HOUR_MS, wanderingCloses(60, 1000 * seed, seed)));
    }
    await generateLabels({ sessions: poolSessions(db.pool), now: () => NOW }, { symbols: ['BTC/USDT', 'ETH/USDT'], from: T0 });
    // Real sentiment for hours 24–35, a simulated row at 50h.
    for (let h = 24; h < 36; h++) await upsertSentimentRow(db.pool, { symbol: 'BTC/USDT', hour: T0 + h * HOUR_MS, features: sentiment(h / 100), realInputs: ['news'], simulatedInputs: [] });
    await upsertSentimentRow(db.pool, { symbol: 'BTC/USDT', hour: T0 + 50 * HOUR_MS, features: sentiment(0.5), realInputs: [], simulatedInputs: ['news'] });
    // Afterwards one candle turns out simulated and one label was computed from simulated data.
    await db.pool.query(`update ml_features_ohlcv set source = 'simulated', is_simulated = true where symbol = 'BTC/USDT' and timeframe = '1h' and timestamp = $1`, [iso(40)]);
    await db.pool.query(`update ml_labels set is_simulated = true where symbol = 'BTC/USDT' and label_type = 'price_direction' and timestamp = $1`, [iso(45)]);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  });

  it('CSV: features at t with the label for t; a simulated sentiment input is emptied, not the row', async () => {
    const { code, stdout, stderr } = await run(base('train.csv'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('wrote 30 rows of 1 series');

    const records = readCsv('train.csv');
    expect(Object.keys(records[0]!)).toEqual(exportColumns([{ type: 'price_direction', horizon: '4h', name: 'price_direction_4h', spec: null }]).map((c) => c.name));
    const hours = records.map((r) => (Date.parse(r.timestamp!) - T0) / HOUR_MS);
    // 24..55 have labels (56..59: horizon not passed); 40's candle and 45's only label are simulated.
    expect(hours).toEqual(Array.from({ length: 32 }, (_, i) => 24 + i).filter((h) => ![40, 45].includes(h)));
    expect(records.every((r) => r.is_simulated === 'false')).toBe(true);

    // Each row carries exactly the stored candle and the stored label for its own timestamp.
    const stored = (await db.pool.query<{ close_price: number; label_value: string; realized_return: number }>(
      `select f.close_price, l.label_value, l.realized_return from ml_features_ohlcv f
       join ml_labels l on l.symbol = f.symbol and l.timestamp = f.timestamp and l.label_type = 'price_direction' and l.horizon = '4h'
       where f.symbol = 'BTC/USDT' and f.timeframe = '1h' and f.timestamp = $1`,
      [iso(30)],
    )).rows[0]!;
    const row30 = records.find((r) => r.timestamp === iso(30))!;
    expect(Number(row30.close_price)).toBe(stored.close_price);
    expect(row30.label_price_direction_4h).toBe(stored.label_value);
    expect(Number(row30.label_price_direction_4h_realized_return)).toBe(stored.realized_return);
    // The outcome's last candle opens at t + 4h; the label is known when it closes, an hour later.
    expect(row30.label_price_direction_4h_future_timestamp).toBe(iso(34));
    expect(row30.label_price_direction_4h_known_at).toBe(iso(35));
    // Sentiment of the hour ending at the candle's close (1h candles: the same hour), with its provenance.
    expect(row30.sentiment_timestamp).toBe(iso(30));
    expect(Number(row30.news_sentiment_score)).toBe(0.3);
    expect([row30.sentiment_real_inputs, row30.sentiment_simulated_inputs]).toEqual(['news', '']);

    // Row 50's sentiment row had simulated news: its news features are empty, its fear & greed and the rest stay.
    const row50 = records.find((r) => r.timestamp === iso(50))!;
    expect(row50.sentiment_timestamp).toBe(iso(50));
    expect(row50.sentiment_simulated_inputs).toBe('news');
    expect(row50.news_sentiment_score).toBe('');
    expect(row50.weighted_coin_sentiment).toBe('');
    expect(Number(row50.fear_greed_index)).toBe(0.5);

    const metadata = readMeta('train.csv');
    expect(metadata).toMatchObject({
      file: 'train.csv',
      format: 'csv',
      feature_version: 'ohlcv-v1',
      sentiment_feature_version: 'sentiment-v1',
      series: [{ symbol: 'BTC/USDT', timeframe: '1h', rows: 30, first_timestamp: iso(24), last_timestamp: iso(55) }],
      range: { from: iso(24), to_exclusive: iso(60), first_timestamp: iso(24), last_timestamp: iso(55) },
      rows: { candidates: 36, exported: 30, excluded: 6, simulated_included: 0 },
      // Row 50's simulated sentiment row is the newest known for 50..55.
      simulated: { policy: 'empty', emptied: { 'sentiment:news': 6 } },
      cross_validation: { purge_gap: '4h', purge_candles: { '1h': 4 } },
    });
    expect(metadata.labels).toMatchObject([{ name: 'price_direction_4h', type: 'price_direction', horizon: '4h', sources: ['ohlcv:1h'], rows: 30 }]);
    expect(Object.fromEntries(Object.entries(metadata.excluded).map(([k, v]) => [k, v.count]))).toEqual({ no_label: 4, gap: 0, simulated_candle: 1, simulated_label: 1, simulated_sentiment: 0 });
    expect(metadata.excluded.no_label.reason).toContain('horizon had not passed');
    expect(metadata.labels[0]!.definition).toContain('up if x > θ');
    expect(Object.values(metadata.labels[0]!.class_counts).reduce((a, b) => a + b)).toBe(30);
    expect(metadata.features.map((f) => f.name)).toHaveLength(46);
  });

  it('--simulated drop leaves out every row with a simulated input; include keeps and flags them', async () => {
    expect((await run([...base('drop.csv'), '--simulated', 'drop'])).code).toBe(0);
    const dropped = readCsv('drop.csv').map((r) => (Date.parse(r.timestamp!) - T0) / HOUR_MS);
    expect(dropped).toEqual(Array.from({ length: 26 }, (_, i) => 24 + i).filter((h) => ![40, 45].includes(h)));
    expect(readMeta('drop.csv').excluded.simulated_sentiment.count).toBe(6);

    const { code } = await run([...base('all.csv'), '--include-simulated']);
    expect(code).toBe(0);
    const records = readCsv('all.csv');
    expect(records).toHaveLength(32);
    expect(records.filter((r) => r.is_simulated === 'true').map((r) => (Date.parse(r.timestamp!) - T0) / HOUR_MS)).toEqual([40, 45, 50, 51, 52, 53, 54, 55]);
    expect(records.find((r) => r.timestamp === iso(45))!.label_price_direction_4h_is_simulated).toBe('true');
    expect(Number(records.find((r) => r.timestamp === iso(50))!.news_sentiment_score)).toBe(0.5);
    expect(readMeta('all.csv').rows).toMatchObject({ exported: 32, simulated_included: 8, excluded: 4 });
  });

  it('several symbols and label specs in one file, ordered by time then series', async () => {
    const args = mergeArgs(base('basket.csv'), ['--label', 'price_direction']);
    const { code, stdout } = await run([...args, '--symbol', 'ETH/USDT', '--label', 'market_regime', '--label', 'sector_rotation:6h']);
    expect(code).toBe(0);
    expect(stdout).toContain('of 2 series');
    const records = readCsv('basket.csv');
    const keys = records.map((r) => `${r.timestamp} ${r.symbol}`);
    expect(keys).toEqual([...keys].sort());
    expect(new Set(records.map((r) => r.symbol))).toEqual(new Set(['BTC/USDT', 'ETH/USDT']));
    // Rows with at least one label: up to 55 (4h horizon); the 12h label only up to 47, the 6h one to 53.
    const eth = records.filter((r) => r.symbol === 'ETH/USDT');
    expect(eth.map((r) => (Date.parse(r.timestamp!) - T0) / HOUR_MS)).toEqual(Array.from({ length: 32 }, (_, i) => 24 + i));
    const at = (hour: number) => eth.find((r) => r.timestamp === iso(hour))!;
    expect(at(47).label_market_regime_12h_known_at).toBe(iso(60));
    expect(at(48).label_market_regime_12h).toBe('');
    expect(at(54).label_sector_rotation_6h).toBe('');
    expect(at(53).label_sector_rotation_6h_future_timestamp).toBe(iso(59));
    // BTC 45: its simulated 4h label is emptied, the row stays for its other labels.
    const btc45 = records.find((r) => r.symbol === 'BTC/USDT' && r.timestamp === iso(45))!;
    expect([btc45.label_price_direction_4h, btc45.label_market_regime_12h !== '']).toEqual(['', true]);
    // ETH has no sentiment rows.
    expect(eth.every((r) => r.sentiment_timestamp === '' && r.sentiment_real_inputs === '')).toBe(true);
    const metadata = readMeta('basket.csv');
    expect(metadata.labels.map((l) => [l.name, l.rows])).toEqual([['price_direction_4h', 62], ['market_regime_12h', 47], ['sector_rotation_6h', 59]]);
    expect(metadata.cross_validation).toMatchObject({ purge_gap: '12h', purge_candles: { '1h': 12 } });
    expect(metadata.series.map((s) => [s.symbol, s.rows])).toEqual([['BTC/USDT', 31], ['ETH/USDT', 32]]);
  });

  it('as-of sentiment: the newest row known at the close, within the tolerance, its timestamp exported', async () => {
    expect((await run([...base('asof.csv'), '--sentiment-tolerance', '6h'])).code).toBe(0);
    const records = readCsv('asof.csv');
    const sentimentHour = (hour: number) => {
      const ts = records.find((r) => r.timestamp === iso(hour))!.sentiment_timestamp!;
      return ts ? (Date.parse(ts) - T0) / HOUR_MS : null;
    };
    // Rows 24–35 exist; hour 35 ends at 36h, so candles closing up to 6h later (t + 1h ≤ 42h) still join it.
    expect([35, 36, 41, 42, 49].map(sentimentHour)).toEqual([35, 35, 35, null, null]);
    expect(Number(records.find((r) => r.timestamp === iso(41))!.news_sentiment_score)).toBe(0.35);
    expect(readMeta('asof.csv').sentiment_join).toMatchObject({ tolerance: '6h', rows_joined: 12 + 5 + 6 });

    // Tolerance 0: only the hour ending at the close.
    expect((await run([...base('exact.csv'), '--sentiment-tolerance', '0'])).code).toBe(0);
    expect(readCsv('exact.csv').filter((r) => r.sentiment_timestamp !== '').map((r) => r.sentiment_timestamp)).toEqual(
      [...Array.from({ length: 12 }, (_, i) => iso(24 + i)), iso(50)],
    );
  });

  it('Parquet: the same rows, timestamps typed TIMESTAMP(UTC), read back by hyparquet', async () => {
    expect((await run(mergeArgs(base('train.parquet'), ['--label', 'sector_rotation']))).code).toBe(0);
    expect((await run(mergeArgs(base('same.csv'), ['--label', 'sector_rotation']))).code).toBe(0);
    const bytes = readFileSync(path.join(dir, 'train.parquet'));
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const meta = parquetMetadata(file);
    const element = (name: string) => meta.schema.find((e) => e.name === name)!;
    for (const name of ['timestamp', 'sentiment_timestamp', 'label_sector_rotation_6h_future_timestamp', 'label_sector_rotation_6h_known_at']) {
      expect([name, element(name).type, element(name).logical_type]).toEqual([name, 'INT64', { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' }]);
    }
    expect(element('symbol').logical_type).toEqual({ type: 'STRING' });
    expect(element('symbol').repetition_type).toBe('REQUIRED');
    expect(element('label_sector_rotation_6h').logical_type).toEqual({ type: 'STRING' });
    expect([element('close_price').type, element('rsi').type, element('is_simulated').type]).toEqual(['DOUBLE', 'DOUBLE', 'BOOLEAN']);

    const rows = await parquetReadObjects({ file });
    const csv = readCsv('same.csv');
    // sector_rotation (6h): labels for 24..53, minus the simulated candle (40).
    expect(rows).toHaveLength(29);
    expect(rows).toHaveLength(csv.length);
    expect(Object.keys(rows[0]!)).toEqual(Object.keys(csv[0]!));
    rows.forEach((row, i) => {
      for (const [name, text] of Object.entries(csv[i]!)) {
        const value = row[name];
        const asText = value === null ? '' : value instanceof Date ? value.toISOString() : typeof value === 'boolean' ? String(value) : typeof value === 'number' ? String(value) : value;
        expect([name, asText]).toEqual([name, typeof value === 'number' ? String(Number(text)) : text]);
      }
    });
    const kv = meta.key_value_metadata ?? [];
    expect(JSON.parse(kv.find((k) => k.key === METADATA_KEY)!.value!).labels[0].type).toBe('sector_rotation');
  });

  it('joins the sentiment hour that had ended when a longer candle closed, never a later one', async () => {
    const start = T0 + 96 * HOUR_MS; // 4h candles from here; labels need 24 of them of history
    await insertCandles(db.pool, 'BTC/USDT', '4h', candlesFromCloses(start - 96 * HOUR_MS, 4 * HOUR_MS, wanderingCloses(40, 1000, 5)));
    const later = start + 200 * HOUR_MS;
    await generateLabels({ sessions: poolSessions(db.pool), now: () => later }, { symbols: ['BTC/USDT'], timeframe: '4h', types: ['price_direction'], from: start - 96 * HOUR_MS });
    for (const h of [98, 99, 100]) await upsertSentimentRow(db.pool, { symbol: 'BTC/USDT', hour: T0 + h * HOUR_MS, features: sentiment(h / 1000), realInputs: ['news'], simulatedInputs: [] });
    const out = path.join(dir, 'four.csv');
    const errors: string[] = [];
    const code = await runExportCommand(['--symbol', 'BTC/USDT', '--timeframe', '4h', '--from', iso(96), '--to', iso(104), '--label', 'price_direction', '-o', out], { db: db.pool, now: () => later, stdout: () => {}, stderr: (t) => errors.push(t) });
    expect([code, errors]).toEqual([0, []]);
    const [row] = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    // The 4h candle 96h–100h closes at 100h: the newest ended sentiment hour is 99h–100h.
    expect(row!.timestamp).toBe(iso(96));
    expect(row!.sentiment_timestamp).toBe(iso(99));
    expect(Number(row!.news_sentiment_score)).toBe(0.099);
    // Its label is known when the candle opening at t + 4h closes, 4h later.
    expect(row!.label_price_direction_4h_known_at).toBe(iso(104));
  });

  it('the dashboard download is the same export; windows of any size give the same bytes', async () => {
    const request = parseExportQuery(new URLSearchParams({ symbol: 'BTC/USDT', timeframe: '1h', from: iso(24), to: iso(60), label: 'price_direction' }));
    const download = await trainingSetDownload(db.pool, request, { now: NOW });
    try {
      expect(download.filename).toBe('BTCUSDT_1h_price_direction_4h_2024-04-02_2024-04-03.csv');
      expect(download.contentType).toBe('text/csv; charset=utf-8');
      expect(readFileSync(download.path).equals(readFileSync(path.join(dir, 'train.csv')))).toBe(true);
      expect(download.size).toBe(readFileSync(path.join(dir, 'train.csv')).length);
      expect(download.metadata.rows.exported).toBe(30);
    } finally {
      download.dispose();
    }
    expect(existsSync(download.path)).toBe(false);

    const basket = parseExportQuery(new URLSearchParams([['symbol', 'BTC/USDT,ETH/USDT'], ['timeframe', '1h'], ['from', iso(0)], ['to', iso(60)], ['label', 'price_direction'], ['label', 'market_regime'], ['format', 'parquet']]));
    const progress: number[] = [];
    const whole = await trainingSetDownload(db.pool, basket, { now: NOW });
    const windowed = await trainingSetDownload(db.pool, basket, { now: NOW, windowCandles: 7, onProgress: (p) => progress.push(p.through) });
    try {
      expect(readFileSync(windowed.path).subarray(0, 4).toString()).toBe('PAR1');
      const rowsOf = async (file: string) => parquetReadObjects({ file: toArrayBuffer(readFileSync(file)) });
      expect(await rowsOf(windowed.path)).toEqual(await rowsOf(whole.path));
      expect(progress).toEqual([7, 14, 21, 28, 35, 42, 49, 56, 60].map((h) => T0 + h * HOUR_MS));
      expect(parquetMetadata(toArrayBuffer(readFileSync(windowed.path))).row_groups.length).toBe(1);
    } finally {
      whole.dispose();
      windowed.dispose();
    }
    expect(() => parseExportQuery(new URLSearchParams({ symbol: 'BTC/USDT', timeframe: '1h', from: iso(24), to: iso(60), label: 'nope' }))).toThrow('label must be one of');
  });

  describe('bad arguments: a clear error, a non-zero exit code, nothing written', () => {
    const cases: [string, string[], RegExp][] = [
      ['a missing option', ['--symbol', 'BTC/USDT', '--timeframe', '1h', '--from', '2024-04-01', '--to', '2024-04-02', '--output', 'x.csv'], /missing --label/],
      ['an unknown label', ['--label', 'direction'], /label must be one of price_direction, market_regime, sector_rotation/],
      ['an impossible date', ['--from', '2024-13-45'], /from .* is not a valid date/],
      ['a datetime without a zone', ['--from', '2024-04-01T10:00'], /from must be a date .* or a datetime with a zone/],
      ['to before from', ['--from', iso(50), '--to', iso(30)], /to must be after from/],
      ['a bad timeframe', ['--timeframe', '7x'], /timeframe looks like/],
      ['a bad format', ['--format', 'xml'], /format must be csv or parquet/],
      ['a format against the extension', ['--format', 'parquet'], /--format parquet but the output file ends with .csv/],
      ['a horizon that is not whole candles', ['--horizon', '90m'], /horizon 90m is not a whole number of 1h candles/],
      ['an unknown option', ['--symbols', 'ETH/USDT'], /Unknown option '--symbols'/],
      ['a bad simulated policy', ['--simulated', 'keep'], /simulated must be one of empty, drop, include/],
      ['a contradictory simulated option', ['--simulated', 'drop', '--include-simulated'], /--include-simulated contradicts --simulated drop/],
      ['a bad sentiment tolerance', ['--sentiment-tolerance', 'soon'], /sentiment tolerance must be a duration/],
      ['a label with a bad horizon', ['--label', 'market_regime:5x'], /horizon "5x" must look like/],
      ['--horizon with two labels', ['--horizon', '2h', '--label', 'market_regime,price_direction'], /horizon applies to a single label/],
      ['an output folder that does not exist', ['--output', '/nonexistent-folder/x.csv'], /folder \/nonexistent-folder does not exist/],
    ];
    it.each(cases)('%s', async (_, overrides, message) => {
      const before = readdirSync(dir).sort();
      const args = overrides.includes('--symbol') ? overrides : mergeArgs(base('bad.csv'), overrides);
      const { code, stderr, stdout } = await run(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).toContain('usage: npm run features -- export');
      expect(stdout).toBe('');
      expect(readdirSync(dir).sort()).toEqual(before);
    });

    it('nothing to export is an error too (exit 1), and says why', async () => {
      const before = readdirSync(dir).sort();
      const none = await run(mergeArgs(base('none.csv'), ['--symbol', 'DOGE/USDT']));
      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/nothing to export: no candles of DOGE\/USDT 1h/);
      const unlabelled = await run(mergeArgs(base('late.csv'), ['--from', iso(56), '--to', iso(60)]));
      expect(unlabelled.code).toBe(1);
      expect(unlabelled.stderr).toMatch(/all 4 candles were excluded \(no_label: 4\)/);
      expect(readdirSync(dir).sort()).toEqual(before);
    });

    it('an interrupted export (Ctrl-C) stops, exits 1 and leaves no file behind', async () => {
      const before = readdirSync(dir).sort();
      const interrupted = new AbortController();
      const stderr: string[] = [];
      const code = await runExportCommand(['--symbol', 'BTC/USDT,ETH/USDT', '--timeframe', '1h', '--from', iso(0), '--to', iso(60), '--label', 'price_direction', '-o', path.join(dir, 'stopped.parquet')], {
        db: db.pool, now: () => NOW, stdout: () => {}, stderr: (t) => stderr.push(t), signal: interrupted.signal,
        // The first window is written; the signal arrives before the second.
        onProgress: () => interrupted.abort(new Error('interrupted')),
      });
      expect([code, stderr.join('')]).toEqual([1, 'export: failed: interrupted']);
      expect(readdirSync(dir).sort()).toEqual(before);
    });

    it('--help prints the usage and succeeds', async () => {
      const { code, stdout } = await run(['export', '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain('--simulated');
    });
  });
});

/** Replaces the values of options present in `overrides` (and appends new ones). */
function mergeArgs(args: string[], overrides: string[]): string[] {
  const out = [...args];
  for (let i = 0; i < overrides.length; i += 2) {
    const at = out.indexOf(overrides[i]!);
    if (at >= 0 && overrides[i + 1] !== undefined) out[at + 1] = overrides[i + 1]!;
    else out.push(...overrides.slice(i, i + 2));
  }
  return out;
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
