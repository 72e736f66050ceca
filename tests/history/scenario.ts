import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { binanceDir, BINANCE_FILES } from '../helpers/shared';

/**
 * The "done when", as a user runs it: the four real Binance files imported, labelled,
 * retention applied and BTC/USDT 1h price_direction exported for 2021, each step a real
 * `npm run features` process against the given database. Shared by the embedded and the
 * TimescaleDB suites so both run the same sequence.
 */
const run = promisify(execFile);
const TSX = path.join(process.cwd(), 'node_modules', '.bin', 'tsx');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function features(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const environment = { ...process.env, DATABASE_URL: undefined, ...env };
  try {
    const { stdout, stderr } = await run(TSX, ['scripts/features.ts', ...args], { env: environment as NodeJS.ProcessEnv, timeout: 240_000, maxBuffer: 1 << 24 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export const SYMBOL_OF: Record<(typeof BINANCE_FILES)[number], string> = {
  'BTCUSDT_1h.csv': 'BTC/USDT',
  'ETHUSDT_1h.csv': 'ETH/USDT',
  'BNBUSDT_1h.csv': 'BNB/USDT',
  'ADAUSDT_1h.csv': 'ADA/USDT',
};

export interface ScenarioResult {
  steps: Record<'import' | 'labels' | 'retention' | 'export', CliResult[]>;
  rows: Record<string, string>[];
  meta: Record<string, unknown>;
}

export async function trainingHistoryScenario(env: Record<string, string | undefined>): Promise<ScenarioResult> {
  const steps: ScenarioResult['steps'] = { import: [], labels: [], retention: [], export: [] };
  for (const file of BINANCE_FILES) {
    steps.import.push(await features(['import', '--input', path.join(binanceDir, file), '--symbol', SYMBOL_OF[file], '--timeframe', '1h', '--source', 'binance'], env));
  }
  const symbols = BINANCE_FILES.flatMap((file) => ['--symbol', SYMBOL_OF[file]]);
  steps.labels.push(await features(['labels', ...symbols, '--timeframe', '1h'], env));
  steps.retention.push(await features(['retention'], env));
  const output = path.join(mkdtempSync(path.join(tmpdir(), 'ff-history-')), 'btc-2021.csv');
  steps.export.push(
    await features(['export', '--symbol', 'BTC/USDT', '--timeframe', '1h', '--from', '2021-01-01', '--to', '2021-12-31', '--label', 'price_direction', '--output', output], env),
  );
  if (steps.export[0]!.code !== 0) return { steps, rows: [], meta: {} };
  const rows = parse(readFileSync(output, 'utf8'), { columns: true }) as Record<string, string>[];
  return { steps, rows, meta: JSON.parse(readFileSync(`${output}.meta.json`, 'utf8')) };
}

/**
 * price_direction as README.md writes it, recomputed from the raw file without the project's
 * parser or label code: σ = population std of the 24 one-candle log returns up to candle t,
 * x = ln(c₄/c₀), θ = max(0.5·σ·√4, 0.0001); up if x > θ, down if x < −θ, else flat;
 * confidence min(1, |x| − θ)/θ for up/down, (θ − |x|)/θ for flat; realized return c₄/c₀ − 1.
 */
export function independentPriceDirection(file: string): Map<number, { value: string; confidence: number; realized: number }> {
  const lines = readFileSync(path.join(binanceDir, file), 'utf8').split(/\r?\n/).slice(2).filter(Boolean);
  const closes = new Map<number, number>();
  for (const line of lines) {
    const cells = line.split(',');
    const unix = Number(cells[0]);
    closes.set(unix < 1e12 ? unix * 1000 : unix, Number(cells[6]));
  }
  const H = 3_600_000;
  const labels = new Map<number, { value: string; confidence: number; realized: number }>();
  for (const t of closes.keys()) {
    const window: number[] = [];
    for (let k = -24; k <= 4; k++) {
      const close = closes.get(t + k * H);
      if (close === undefined) break;
      window.push(close);
    }
    if (window.length !== 29) continue;
    const returns = window.slice(1, 25).map((c, j) => Math.log(c / window[j]!));
    const mean = returns.reduce((a, b) => a + b, 0) / 24;
    const sigma = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / 24);
    const c0 = window[24]!;
    const c4 = window[28]!;
    const x = Math.log(c4 / c0);
    const theta = Math.max(0.5 * sigma * 2, 0.0001);
    const value = x > theta ? 'up' : x < -theta ? 'down' : 'flat';
    const confidence = value === 'flat' ? (theta - Math.abs(x)) / theta : Math.min(1, (Math.abs(x) - theta) / theta);
    labels.set(t, { value, confidence, realized: c4 / c0 - 1 });
  }
  return labels;
}

/** What both suites require of the scenario: every step succeeded, > 8,700 rows, each label as defined. */
export function expectTrainingSet(result: ScenarioResult): void {
  for (const step of [...result.steps.import, ...result.steps.labels, ...result.steps.retention, ...result.steps.export]) {
    expect(step.code, step.stderr).toBe(0);
  }
  expect(result.steps.labels[0]!.stdout).toMatch(/sector_rotation basket: BTC\/USDT, ETH\/USDT, BNB\/USDT, ADA\/USDT/);
  expect(result.steps.retention[0]!.stdout).toMatch(/deleted 0 rows in total/);

  expect(result.rows.length).toBeGreaterThan(8_700);
  const expected = independentPriceDirection('BTCUSDT_1h.csv');
  for (const row of result.rows) {
    const t = Date.parse(row.timestamp!);
    expect(t).toBeGreaterThanOrEqual(Date.UTC(2021, 0, 1));
    expect(t).toBeLessThan(Date.UTC(2022, 0, 1));
    const label = expected.get(t);
    expect(label, row.timestamp).toBeDefined();
    expect(row.label_price_direction_4h, row.timestamp).toBe(label!.value);
    expect(Number(row.label_price_direction_4h_confidence)).toBeCloseTo(label!.confidence, 12);
    expect(Number(row.label_price_direction_4h_realized_return)).toBeCloseTo(label!.realized, 12);
  }
  expect(result.meta).toMatchObject({ labels: [{ type: 'price_direction', horizon: '4h', name: 'price_direction_4h' }] });
}
