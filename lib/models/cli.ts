import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Pool } from 'pg';
import { invalid } from '@/lib/errors';
import { parseRegistration } from './contract';
import { prismaFor } from './job';
import { driftReport } from './monitor';
import { evaluateModel, trainBaseline } from './evaluate';
import { predictRange, type ModelDeps } from './predictions';
import { changeStatus, listModels } from './registry';
import { registerOnnxModel } from './register';

/**
 * `npm run features -- models <command>`: the registry from the command line. Bad arguments throw an
 * `invalid` error (exit code 2) before the database is opened; the database is DATABASE_URL or the
 * embedded one, migrated first, as for the other database commands.
 */
export const MODELS_USAGE = `Usage: npm run features -- models <command> [options]

  register  --file model.onnx --name N --version V --label price_direction [--horizon 4h] [--timeframe 1h]
            [--symbols BTC/USDT,ETH/USDT] [--features rsi,macd_histogram,…] [--classes down,flat,up]
            [--training-start DATE --training-end DATE] [--by NAME]
            Check the model against the contract and register it as a candidate.
  train-baseline --kind logistic_regression|majority --name N --version V --label TYPE --symbol S
            --from DATE --to DATE --features a,b,… [--horizon H] [--timeframe T]
            Fit a baseline on the training-set export of [from, to) and register it.
  evaluate  --model N@V --symbol S --from DATE --to DATE [--folds 5]
            Walk-forward evaluation beside the majority baseline, stored with the version.
  predict   --model N@V --from DATE --to DATE [--symbols S1,S2]
            Fill the version's predictions for every candle of [from, to) (idempotent).
  drift     --model N@V --symbol S [--days 30] [--end DATE]
            Feature and label drift between the training window and the last days.
  activate | retire | rollback  --model N@V
  list`;

export interface OpenedModelDatabase {
  pool: Pool;
  close(): Promise<void>;
}

const text = { type: 'string' } as const;
const OPTIONS = {
  file: text, name: text, version: text, label: text, horizon: text, timeframe: text, symbols: text, symbol: text, features: text,
  classes: text, 'training-start': text, 'training-end': text, by: text, model: text, from: text, to: text, folds: text, kind: text,
  days: text, end: text,
} as const;
type Values = Partial<Record<keyof typeof OPTIONS, string>>;

const csv = (value: string | undefined) => value?.split(',').map((part) => part.trim()).filter(Boolean);

function date(values: Values, flag: 'from' | 'to' | 'end' | 'training-start' | 'training-end'): Date {
  const value = values[flag];
  if (!value) throw invalid(`--${flag} is required`);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw invalid(`--${flag} "${value}" is not a date (2022-01-01 or ISO-8601)`);
  return new Date(ms);
}

function required(values: Values, ...flags: (keyof Values)[]): void {
  const missing = flags.filter((flag) => !values[flag]);
  if (missing.length) throw invalid(`missing ${missing.map((f) => `--${f}`).join(', ')}`);
}

function registration(values: Values, registeredBy: string) {
  required(values, 'name', 'version', 'label');
  return parseRegistration({
    name: values.name, version: values.version, labelType: values.label, horizon: values.horizon, timeframe: values.timeframe,
    symbols: csv(values.symbols ?? values.symbol), features: csv(values.features), classNames: csv(values.classes),
    trainingStart: values['training-start'], trainingEnd: values['training-end'], registeredBy: values.by ?? registeredBy,
  });
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

/** Parses the arguments, then does the work; returns the exit code. */
export async function runModelsCommand(args: string[], open: () => Promise<OpenedModelDatabase>, log: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = args;
  if (!command || command === 'help') {
    log(MODELS_USAGE);
    return command ? 0 : 2;
  }
  let values: Values;
  try {
    values = parseArgs({ args: rest, options: OPTIONS, strict: true, allowPositionals: false }).values as Values;
  } catch (error) {
    throw invalid(`models ${command}: ${(error as Error).message}`);
  }
  const work = plan(command, values);
  const database = await open();
  try {
    // Prisma on the command's own pool: closing the database closes both.
    await work({ pool: database.pool, prisma: prismaFor(database.pool) }, log);
    return 0;
  } finally {
    await database.close();
  }
}

type Work = (deps: ModelDeps, log: (line: string) => void) => Promise<void>;

/** Everything that can be checked without the database is checked here, before it opens. */
function plan(command: string, values: Values): Work {
  switch (command) {
    case 'register': {
      required(values, 'file');
      const reg = registration(values, process.env.USER ?? 'cli');
      return async (deps, log) => {
        const bytes = new Uint8Array(await readFile(values.file!).catch(() => { throw invalid(`--file ${values.file}: cannot read it`); }));
        const model = await registerOnnxModel(deps, reg, bytes);
        log(`Registered ${model.modelId} (candidate): ${model.features.length} features [${model.features.join(', ')}], classes [${model.classNames.join(', ')}], sha256 ${model.fileChecksum}.`);
      };
    }
    case 'train-baseline': {
      required(values, 'kind', 'symbol', 'from', 'to');
      if (values.kind !== 'majority' && values.kind !== 'logistic_regression') throw invalid('--kind must be majority or logistic_regression');
      const reg = registration({ ...values, symbols: values.symbols ?? values.symbol }, 'baseline');
      const range = { from: date(values, 'from'), to: date(values, 'to') };
      return async (deps, log) => {
        const model = await trainBaseline(deps, { kind: values.kind as 'majority', registration: reg, symbol: values.symbol!, ...range });
        log(`Trained and registered ${model.modelId} (${model.kind}) on ${model.trainingStart} – ${model.trainingEnd}.`);
      };
    }
    case 'evaluate': {
      required(values, 'model', 'symbol', 'from', 'to');
      const folds = values.folds === undefined ? 5 : Number(values.folds);
      if (!Number.isInteger(folds) || folds < 1 || folds > 50) throw invalid('--folds must be a whole number from 1 to 50');
      const range = { symbol: values.symbol!, from: date(values, 'from'), to: date(values, 'to'), folds };
      return async (deps, log) => {
        const result = await evaluateModel(deps, values.model!, range);
        for (const f of result.folds) log(`  ${f.testFrom.slice(0, 10)} – ${f.testTo.slice(0, 10)}  ${f.testRows} rows  accuracy ${pct(f.model.accuracy)} (majority ${pct(f.baseline.accuracy)})  log loss ${f.model.logLoss.toFixed(4)} (${f.baseline.logLoss.toFixed(4)})`);
        const { model, baseline } = result.overall;
        log(`${values.model}: ${result.overall.rows} test rows in ${result.folds.length} folds — accuracy ${pct(model.accuracy)} vs majority ${pct(baseline.accuracy)}, balanced ${pct(model.balancedAccuracy)} vs ${pct(baseline.balancedAccuracy)}, log loss ${model.logLoss.toFixed(4)} vs ${baseline.logLoss.toFixed(4)}, Brier ${model.brier.toFixed(4)} vs ${baseline.brier.toFixed(4)}.`);
      };
    }
    case 'predict': {
      required(values, 'model', 'from', 'to');
      const range = { from: date(values, 'from'), to: date(values, 'to'), symbols: csv(values.symbols) ?? [] };
      if (range.from >= range.to) throw invalid('--to must be after --from');
      return async (deps, log) => {
        const { config } = await import('@/lib/config/env');
        const summaries = await predictRange(deps, values.model!, { ...range, symbols: range.symbols.length ? range.symbols : config().TRACKED_SYMBOLS });
        for (const s of summaries) log(`${s.modelId} ${s.symbol}: ${s.candles} candles, ${s.scored} scored, ${s.skipped} skipped (an input missing), ${s.written} predictions written.`);
      };
    }
    case 'drift': {
      required(values, 'model', 'symbol');
      const days = values.days === undefined ? 30 : Number(values.days);
      if (!Number.isInteger(days) || days < 1) throw invalid('--days must be a whole number of days');
      const now = values.end ? date(values, 'end') : new Date();
      return async (deps, log) => {
        const report = await driftReport(deps, values.model!, { symbol: values.symbol!, now, recentDays: days });
        if (report.reason) log(report.reason);
        for (const f of report.features) log(`  ${f.status.padEnd(9)} ${f.feature.padEnd(28)} PSI ${f.psi?.toFixed(4) ?? '—'}  KS ${f.ks?.toFixed(4) ?? '—'}${f.reason ? `  (${f.reason})` : ''}`);
        if (report.labels) log(`  labels: ${report.labels.status}, PSI ${report.labels.psi?.toFixed(4) ?? '—'}`);
      };
    }
    case 'activate':
    case 'retire':
    case 'rollback': {
      required(values, 'model');
      return async (deps, log) => {
        const versions = await changeStatus(deps.prisma, values.model!, command);
        log(versions.map((v) => `${v.modelId}: ${v.status}`).join('\n'));
      };
    }
    case 'list':
      return async (deps, log) => {
        for (const m of await listModels(deps.prisma)) log(`${m.modelId.padEnd(32)} ${m.status.padEnd(9)} ${m.kind.padEnd(19)} ${m.labelType} ${m.horizon} ${m.timeframe}`);
      };
    default:
      throw invalid(`unknown models command "${command}"\n\n${MODELS_USAGE}`);
  }
}
