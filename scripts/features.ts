import { parseArgs, type ParseArgsConfig } from 'node:util';
import { DomainError, exitCodeFor } from '@/lib/errors';
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

  export    --symbol S [--symbol S2 …] --timeframe T --from D1 --to D2 --label TYPE[:H] [--label …]
            --output FILE [--format csv|parquet] [--simulated empty|drop|include]
            A point-in-time training set for one or more series: features at t, the sentiment
            known at the close, the labels for t and when each became known, simulated values
            emptied unless asked, and FILE.meta.json describing it (\`export --help\`).

  help      Show this text.

import, backfill and export use DATABASE_URL, or else the embedded database of \`npm start\`
(while it runs, or started for the command); the database is migrated first.`;

/** Bad arguments: exit code 2, with the usage. */
class UsageError extends DomainError {
  override name = 'UsageError';
  constructor(message: string) {
    super('invalid', message);
  }
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

interface OpenedDatabase {
  pool: import('pg').Pool;
  close(): Promise<void>;
}

/**
 * The database commands load the database modules only when used, so `compute` needs no
 * configuration. They use the same database as `npm start`: DATABASE_URL, or the embedded server
 * (reused while `npm start` runs, started and stopped here otherwise), migrated first.
 */
async function openMigratedDatabase(): Promise<OpenedDatabase> {
  const { config } = await import('@/lib/config/env');
  const { openDatabase } = await import('@/lib/db/open');
  const { migrate } = await import('@/lib/db/migrate');
  const { withSession } = await import('@/lib/db/sql');
  const { createPool } = await import('@/lib/db/pool');
  const cfg = config();
  const database = await openDatabase(cfg);
  const pool = createPool(database.url, { max: 4 });
  const close = async () => {
    await pool.end();
    await database.close();
  };
  try {
    await withSession(pool, (client) => migrate(client, cfg.DATABASE_MODE));
  } catch (error) {
    await close();
    throw error;
  }
  return { pool, close };
}

async function withDatabase<T>(work: (pool: import('pg').Pool) => Promise<T>): Promise<T> {
  const database = await openMigratedDatabase();
  try {
    return await work(database.pool);
  } finally {
    await database.close();
  }
}

async function importFile(args: string[]) {
  const values = parse(args, { input: text, symbol: text, timeframe: text, source: text }, ['input', 'symbol', 'timeframe']);
  const { timeframeMs } = await import('@/lib/market/timeframe');
  timeframeMs(values.timeframe!); // a bad timeframe is a usage problem, found before connecting
  const { importCandlesFile } = await import('@/lib/ingest/import');
  const { poolSessions } = await import('@/lib/db/sql');
  const result = await withDatabase((pool) =>
    importCandlesFile(poolSessions(pool), { file: values.input!, symbol: values.symbol!, timeframe: values.timeframe!, source: values.source }),
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
    const { poolSessions } = await import('@/lib/db/sql');
    const result = await withDatabase((pool) =>
      backfillCandles(
        { sessions: poolSessions(pool), source },
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

async function exportTrainingSet(args: string[]) {
  const { runExportCommand } = await import('@/lib/export');
  // The database opens on the export's first query, after its arguments were checked: a usage
  // error starts no database and writes nothing.
  let opened: Promise<OpenedDatabase> | undefined;
  const db = {
    async query<Row extends object>(sql: string, params?: unknown[]) {
      opened ??= openMigratedDatabase();
      return (await (await opened).pool.query(sql, params)) as unknown as { rows: Row[] };
    },
  };
  // A progress bar on a terminal; piped output gets the summary line only.
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar = process.stderr.isTTY ? new SingleBar({ format: '{bar} {percentage}% | through {through} | {rows} rows', hideCursor: true }, Presets.shades_classic) : null;
  let started = false;
  // Ctrl-C stops the export between two windows and removes its temporary files.
  const interrupted = new AbortController();
  const stop = () => interrupted.abort(new Error('interrupted'));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    process.exitCode = await runExportCommand(args, {
      db,
      signal: interrupted.signal,
      onProgress: (p) => {
        if (!bar) return;
        if (!started) bar.start(p.to, 0, { through: '-', rows: 0 });
        started = true;
        bar.setTotal(p.to);
        bar.update(p.through, { through: new Date(p.through).toISOString().slice(0, 16), rows: p.rows });
      },
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (started) bar?.stop();
    if (opened) await (await opened).close();
  }
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { compute, import: importFile, backfill, export: exportTrainingSet };

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
  // Exit codes follow the error's kind (lib/errors.ts): 2 for bad arguments, 1 for everything else.
  process.exitCode = exitCodeFor(error);
  const message = error instanceof Error ? error.message : String(error);
  console.error(process.exitCode === 2 ? `features: ${message}\n\n${USAGE}` : `features: ${message}`);
});
