import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_COLUMNS, parseExportQuery, runExportCommand, trainingSetDownload, type TrainingSetMetadata } from '@/lib/export';
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

  it('CSV: features at t joined with the label for t, simulated and unlabelled rows left out and counted', async () => {
    const { code, stdout, stderr } = await run(base('train.csv'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('wrote 29 rows');

    const records = parse(readFileSync(path.join(dir, 'train.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(Object.keys(records[0]!)).toEqual([...EXPORT_COLUMNS]);
    expect(records).toHaveLength(29);
    const hours = records.map((r) => (Date.parse(r.timestamp!) - T0) / HOUR_MS);
    // 24..55 have labels (56..59: horizon not passed at the export's data); 40, 45 and 50 are simulated.
    expect(hours).toEqual(Array.from({ length: 32 }, (_, i) => 24 + i).filter((h) => ![40, 45, 50].includes(h)));
    expect(records.every((r) => r.is_simulated === 'false')).toBe(true);

    // Each row carries exactly the stored candle and the stored label for its own timestamp.
    const stored = (await db.pool.query<{ close_price: number; label_value: string; realized_return: number; future: Date }>(
      `select f.close_price, l.label_value, l.realized_return, l.future_timestamp as future from ml_features_ohlcv f
       join ml_labels l on l.symbol = f.symbol and l.timestamp = f.timestamp and l.label_type = 'price_direction' and l.horizon = '4h'
       where f.symbol = 'BTC/USDT' and f.timeframe = '1h' and f.timestamp = $1`,
      [iso(30)],
    )).rows[0]!;
    const row30 = records.find((r) => r.timestamp === iso(30))!;
    expect(Number(row30.close_price)).toBe(stored.close_price);
    expect(row30.label_value).toBe(stored.label_value);
    expect(Number(row30.realized_return)).toBe(stored.realized_return);
    expect(row30.label_future_timestamp).toBe(iso(34));
    // Sentiment of the same hour (1h candles), empty where there is none.
    expect(row30.sentiment_timestamp).toBe(iso(30));
    expect(Number(row30.news_sentiment_score)).toBe(0.3);
    expect(records.find((r) => r.timestamp === iso(36))!.sentiment_timestamp).toBe('');

    const metadata = JSON.parse(readFileSync(path.join(dir, 'train.csv.meta.json'), 'utf8')) as TrainingSetMetadata & { file: string };
    expect(metadata).toMatchObject({
      file: 'train.csv',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      format: 'csv',
      feature_version: 'ohlcv-v1',
      sentiment_feature_version: 'sentiment-v1',
      include_simulated: false,
      range: { from: iso(24), to_exclusive: iso(60), first_timestamp: iso(24), last_timestamp: iso(55) },
      label: { type: 'price_direction', horizon: '4h', source: 'ohlcv:1h', version: 'labels-v1' },
      rows: { candidates: 36, exported: 29, excluded: 7, with_sentiment: 12, simulated_included: 0 },
    });
    expect(Object.fromEntries(Object.entries(metadata.excluded).map(([k, v]) => [k, v.count]))).toEqual({ no_label: 4, gap: 0, simulated_candle: 1, simulated_label: 1, simulated_sentiment: 1 });
    expect(metadata.excluded.no_label.reason).toContain('horizon had not passed');
    expect(metadata.label.definition).toContain('up if x > θ');
    expect(Object.values(metadata.label.class_counts).reduce((a, b) => a + b)).toBe(29);
  });

  it('--include-simulated keeps simulated rows and flags them', async () => {
    const { code } = await run([...base('all.csv'), '--include-simulated']);
    expect(code).toBe(0);
    const records = parse(readFileSync(path.join(dir, 'all.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(32);
    expect(records.filter((r) => r.is_simulated === 'true').map((r) => (Date.parse(r.timestamp!) - T0) / HOUR_MS)).toEqual([40, 45, 50]);
    const metadata = JSON.parse(readFileSync(path.join(dir, 'all.csv.meta.json'), 'utf8')) as TrainingSetMetadata;
    expect(metadata.rows).toMatchObject({ exported: 32, simulated_included: 3, excluded: 4 });
  });

  it('Parquet: the same rows with typed columns, readable by a Parquet reader', async () => {
    const { code } = await run(mergeArgs(base('train.parquet'), ['--label', 'sector_rotation']));
    expect(code).toBe(0);
    const bytes = readFileSync(path.join(dir, 'train.parquet'));
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    const rows = await parquetReadObjects({ file });
    // sector_rotation (6h): labels for 24..53, minus the simulated candle (40) and sentiment (50) rows.
    expect(rows).toHaveLength(28);
    expect(Object.keys(rows[0]!)).toEqual([...EXPORT_COLUMNS]);
    const first = rows[0]!;
    expect(new Date(first.timestamp as Date).toISOString()).toBe(iso(24));
    expect(['btc_dominance', 'altcoin_rotation']).toContain(first.label_value);
    expect(typeof first.close_price).toBe('number');
    expect(first.is_simulated).toBe(false);
    expect(rows.find((r) => new Date(r.timestamp as Date).toISOString() === iso(36))!.news_sentiment_score).toBeNull();
    // The metadata travels inside the file as well.
    const kv = parquetMetadata(file).key_value_metadata ?? [];
    expect(JSON.parse(kv.find((k) => k.key === 'feature_foundation.metadata')!.value!).label.type).toBe('sector_rotation');
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
  });

  it('the dashboard download is the same export as bytes', async () => {
    const request = parseExportQuery(new URLSearchParams({ symbol: 'BTC/USDT', timeframe: '1h', from: iso(24), to: iso(60), label: 'price_direction' }));
    const download = await trainingSetDownload(db.pool, request, NOW);
    expect(download.filename).toBe('BTCUSDT_1h_price_direction_4h_2024-04-02_2024-04-03.csv');
    expect(download.contentType).toBe('text/csv; charset=utf-8');
    expect(download.body.equals(readFileSync(path.join(dir, 'train.csv')))).toBe(true);
    expect(download.metadata.rows.exported).toBe(29);
    const parquet = await trainingSetDownload(db.pool, { ...request, format: 'parquet' }, NOW);
    expect(parquet.body.subarray(0, 4).toString()).toBe('PAR1');
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
      expect(none.stderr).toMatch(/nothing to export: no 1h candles of DOGE\/USDT/);
      const unlabelled = await run(mergeArgs(base('late.csv'), ['--from', iso(56), '--to', iso(60)]));
      expect(unlabelled.code).toBe(1);
      expect(unlabelled.stderr).toMatch(/all 4 candles were excluded \(no_label: 4\)/);
      expect(readdirSync(dir).sort()).toEqual(before);
    });

    it('--help prints the usage and succeeds', async () => {
      const { code, stdout } = await run(['export', '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain('--include-simulated');
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
