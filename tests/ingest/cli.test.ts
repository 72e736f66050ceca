import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeOhlcvFeatures, FEATURE_COLUMNS } from '@/lib/features';
import { createMigratedDatabase, type TestDatabase } from '../helpers/db';
import { klinesFromCandles, marketCandles, startBinanceReplay, type BinanceReplay } from '../market/binance-replay';
import { freePort } from '../helpers/net';
import { count } from './helpers';

const run = promisify(execFile);
const TSX = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');
const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** Runs `npm run features -- …` the way npm does (tsx scripts/features.ts), with a chosen environment. */
async function features(args: string[], env: Record<string, string | undefined> = {}) {
  const environment = { ...process.env, DATABASE_URL: undefined, ...env };
  try {
    const { stdout, stderr } = await run(TSX, ['scripts/features.ts', ...args], { env: environment as NodeJS.ProcessEnv, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('features CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-cli-'));
  const candles = marketCandles(120, T0, H, 41);
  const csv = ['timestamp,open,high,low,close,volume', ...candles.map((c) => [c.timestamp, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n');
  const input = path.join(dir, 'candles.csv');
  writeFileSync(input, csv);

  it('compute: features for every candle, no database needed', async () => {
    const output = path.join(dir, 'features.csv');
    const result = await features(['compute', '--input', input, '--output', output]);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('120 candles') });
    const [header, ...lines] = readFileSync(output, 'utf8').trim().split('\n');
    expect(header).toBe(['timestamp', ...FEATURE_COLUMNS].join(','));
    expect(lines).toHaveLength(120);
    const expected = computeOhlcvFeatures(candles);
    const last = lines[119]!.split(',');
    expect(Number(last[0])).toBe(candles[119]!.timestamp); // unix ms in, unix ms out
    FEATURE_COLUMNS.forEach((column, i) => expect(last[i + 1] === '' ? null : Number(last[i + 1]), column).toBe(expected[119]![column]));
  });

  it('compute: bad input exits non-zero naming the line', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, csv.split('\n').map((line, i) => (i === 4 ? line.replace(/,[^,]+$/, ',lots') : line)).join('\n'));
    const result = await features(['compute', '--input', bad, '--output', path.join(dir, 'never.csv')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/line 5/);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [[], /no command given/],
    [['compute', '--input', 'x.csv'], /missing --output/],
    [['compute', '--input', 'x.csv', '--output', 'y.csv', '--colour'], /Unknown option '--colour'/],
    [['import', '--input', 'x.csv', '--symbol', 'BTC/USDT', '--timeframe', '3x'], /unsupported timeframe "3x"/],
    [['backfill', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--since', 'last tuesday'], /--since "last tuesday" is not a date/],
  ])('usage errors exit 2 with the usage text: %j', async (args, message) => {
    const result = await features(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).toMatch(/Usage: npm run features -- <command>/);
  });

  it('help prints the usage and succeeds', async () => {
    expect(await features(['help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('backfill  --symbol') });
  });

  it('import without DATABASE_URL uses the embedded database, started for the command and kept', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'ff-cli-embedded-'));
    chmodSync(root, 0o755); // the embedded server runs as OS user postgres when we are root
    const env = { EMBEDDED_PG_DIR: path.join(root, 'pg'), EMBEDDED_PG_PORT: String(await freePort()) };
    const args = ['import', '--input', input, '--symbol', 'BTC/USDT', '--timeframe', '1h'];
    expect(await features(args, env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/120 candles read, 120 rows written/) });
    // The second run finds the first one's rows: nothing new to write.
    expect(await features(args, env)).toMatchObject({ code: 0, stdout: expect.stringMatching(/120 candles read, 0 rows written/) });
    rmSync(root, { recursive: true, force: true });
  }, 120_000);

  it('export with bad arguments exits 2 naming the problem and writes nothing', async () => {
    const output = path.join(dir, 'never.csv');
    const result = await features(['export', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--from', '2024-02-01', '--to', '2024-01-01', '--label', 'price_direction', '--output', output], { DATABASE_URL: 'postgresql://nobody@127.0.0.1:9/none' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/export: /);
    expect(existsSync(output)).toBe(false);
  });

  describe('with a database', () => {
    let db: TestDatabase;
    let replay: BinanceReplay;
    beforeAll(async () => {
      db = await createMigratedDatabase();
      replay = await startBinanceReplay();
    });
    afterAll(async () => {
      await replay.close();
      await db.drop();
    });

    it('import stores the candles with their features and source', async () => {
      const result = await features(['import', '--input', input, '--symbol', 'BTC/USDT', '--timeframe', '1h', '--source', 'binance'], { DATABASE_URL: db.url });
      expect(result).toMatchObject({ code: 0, stdout: expect.stringMatching(/120 candles read, 120 rows written, 0 quarantined/) });
      expect(await count(db.pool, "select 1 from ml_features_ohlcv where source = 'binance' and symbol = 'BTC/USDT' and rsi is not null")).toBe(106);
    });

    it('backfill pages through the exchange with a progress bar', async () => {
      // Real clock here: the exchange's history ends at the current hour.
      const now = Date.now();
      const start = Math.floor(now / H) * H - 1500 * H;
      replay.setKlines('ETHUSDT', '1h', klinesFromCandles(marketCandles(1501, start, H, 43, 2500), H));
      const result = await features(['backfill', '--symbol', 'ETH/USDT', '--timeframe', '1h', '--since', new Date(start).toISOString()], {
        DATABASE_URL: db.url,
        EXCHANGE_API_URL: replay.url,
      });
      expect(result.stdout + result.stderr).toMatch(/1501 candles fetched, 1500 rows written/);
      expect(result.code).toBe(0);
      expect(result.stderr).toMatch(/100%/);
      expect(await count(db.pool, "select 1 from ml_features_ohlcv where symbol = 'ETH/USDT'")).toBe(1500);
    });
  });
});
