import { parseArgs, type ParseArgsConfig } from 'node:util';
import { computeFeaturesFile } from '@/lib/features';

/**
 * `npm run features -- <command>`: compute features from a CSV without a database, import a CSV
 * into the database, or backfill history from an exchange. Exit codes: 0 done, 1 failed, 2 usage.
 */
const USAGE = `Usage: npm run features -- <command> [options]

Commands:
  compute   --input candles.csv --output features.csv
            Compute every feature for a candle CSV (header timestamp,open,high,low,close,volume
            with ISO-8601 or unix-ms timestamps, or a CryptoDataDownload file). No database.

  import    --input FILE --symbol BTC/USDT --timeframe 1h [--source NAME]
            Validate the candles, store them with their features (rejected rows go to the
            quarantine table). NAME is recorded as the rows' source (default: csv).

  backfill  --symbol BTC/USDT --timeframe 1h --since DATE [--until DATE] [--exchange ID]
            Fetch history from the exchange page by page, with a progress bar, and store it.
            DATE: ISO-8601 (2024-01-01, 2024-01-01T12:00Z) or unix milliseconds. ID: a ccxt
            exchange id (default EXCHANGE_ID, binance).

  help      Show this text.

import and backfill write to the database at DATABASE_URL (\`npm start\` prints it for the
embedded server; run \`npm run db:migrate\` first on a new database).`;

class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;
const text = { type: 'string' } as const;

function parse<T extends Options>(args: string[], options: T, required: (keyof T & string)[]) {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const missing = required.filter((name) => values[name] === undefined || values[name] === '');
  if (missing.length) throw new UsageError(`missing ${missing.map((name) => `--${name}`).join(', ')}`);
  return values as Record<keyof T, string | undefined>;
}

function parseDate(value: string, flag: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) throw new UsageError(`${flag} ${JSON.stringify(value)} is not a date (use ISO-8601 or unix milliseconds)`);
  return ms;
}

async function compute(args: string[]) {
  const { input, output } = parse(args, { input: text, output: text }, ['input', 'output']);
  const summary = await computeFeaturesFile(input!, output!);
  console.log(`Computed features for ${summary.candles} candles (${summary.layout} layout) into ${output}.`);
}

/** The database commands load the database modules only when used, so `compute` needs no configuration. */
async function withDatabase<T>(work: (sessions: import('@/lib/ingest/session').WithSession) => Promise<T>): Promise<T> {
  const { config } = await import('@/lib/config/env');
  if (!config().DATABASE_URL) {
    throw new Error('DATABASE_URL is not set. Start the product with `npm start` (it prints the URL of its embedded database) or point DATABASE_URL at PostgreSQL, then run this again.');
  }
  const { closePool, getPool } = await import('@/lib/db/pool');
  const { poolSessions } = await import('@/lib/ingest/session');
  const pool = getPool();
  try {
    const [{ migrated }] = (await pool.query<{ migrated: boolean }>("select to_regclass('ingest_quarantine') is not null as migrated")).rows;
    if (!migrated) throw new Error('the database at DATABASE_URL is not migrated: run `npm run db:migrate` first');
    return await work(poolSessions(pool));
  } finally {
    await closePool();
  }
}

async function importFile(args: string[]) {
  const values = parse(args, { input: text, symbol: text, timeframe: text, source: text }, ['input', 'symbol', 'timeframe']);
  const { timeframeMs } = await import('@/lib/market/timeframe');
  timeframeMs(values.timeframe!); // a bad timeframe is a usage problem, found before connecting
  const { importCandlesFile } = await import('@/lib/ingest/import');
  const result = await withDatabase((sessions) =>
    importCandlesFile(sessions, { file: values.input!, symbol: values.symbol!, timeframe: values.timeframe!, source: values.source }),
  );
  console.log(
    `Imported ${values.input} (${result.layout}): ${result.candles} candles read, ${result.written} rows written, ` +
      `${result.quarantined} quarantined, ${result.notClosed} not yet closed (skipped).`,
  );
}

async function backfill(args: string[]) {
  const values = parse(args, { symbol: text, timeframe: text, since: text, until: text, exchange: text }, ['symbol', 'timeframe', 'since']);
  const since = parseDate(values.since!, '--since');
  const until = values.until === undefined ? undefined : parseDate(values.until, '--until');
  const { alignDown, timeframeMs } = await import('@/lib/market/timeframe');
  const size = timeframeMs(values.timeframe!);
  const { createExchangeSource } = await import('@/lib/market/exchange');
  const { backfillCandles } = await import('@/lib/ingest/backfill');
  const { config } = await import('@/lib/config/env');
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  // The same exchange settings as the worker (EXCHANGE_ID, EXCHANGE_API_URL, EXCHANGE_TIMEOUT_MS).
  const cfg = config();
  const source = createExchangeSource({ exchangeId: values.exchange ?? cfg.EXCHANGE_ID, apiBaseUrl: cfg.EXCHANGE_API_URL, timeoutMs: cfg.EXCHANGE_TIMEOUT_MS });
  const bar = new SingleBar(
    {
      format: '{bar} {percentage}% | {value}/{total} candles | through {through} | {quarantined} quarantined',
      etaBuffer: 20,
      // Without a terminal (CI logs, a pipe) print a progress line every few seconds instead.
      noTTYOutput: true,
      notTTYSchedule: 5000,
    },
    Presets.shades_classic,
  );
  bar.start(1, 0, { through: '-', quarantined: 0 });
  try {
    const result = await withDatabase((sessions) =>
      backfillCandles(
        { sessions, source },
        {
          symbol: values.symbol!,
          timeframe: values.timeframe!,
          // Candles open on the timeframe's grid: start at the first one at or after --since.
          since: alignDown(since + size - 1, values.timeframe!),
          until,
          onProgress: (p) => {
            bar.setTotal(Math.max(1, p.total));
            bar.update(Math.min(p.fetched, p.total), { through: p.through === null ? '-' : new Date(p.through).toISOString(), quarantined: p.quarantined });
          },
        },
      ),
    );
    bar.update(bar.getTotal());
    bar.stop();
    console.log(`Backfilled ${values.symbol} ${values.timeframe}: ${result.fetched} candles fetched, ${result.written} rows written, ${result.quarantined} quarantined.`);
  } catch (error) {
    bar.stop();
    throw error;
  }
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { compute, import: importFile, backfill };

async function main(argv: string[]) {
  const [command, ...args] = argv;
  if (command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  const run = command ? COMMANDS[command] : undefined;
  if (!run) throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  await run(args);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as Error).name === 'TimeframeError') {
    console.error(`features: ${(error as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.error(`features: ${(error as Error).message ?? error}`);
  process.exitCode = 1;
});
