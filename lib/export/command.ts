import { parseArgs } from 'node:util';
import { closePool, getPool } from '@/lib/db/pool';
import { LABEL_TYPES } from '@/lib/labels/definitions';
import type { Sql } from '@/lib/db/sql';
import { errorKindOf, exitCodeFor } from '@/lib/errors';
import { exportTrainingSet, type ExportProgress } from './export';
import { parseExportRequest, DEFAULT_SENTIMENT_TOLERANCE, type ExportFormat, type SimulatedPolicy } from './request';

export const EXPORT_USAGE = `usage: npm run features -- export --symbol S [--symbol S2 …] --timeframe T --from D1 --to D2
                              --label TYPE[:HORIZON] [--label …] --output FILE
                              [--format csv|parquet] [--simulated empty|drop|include] [--sentiment-tolerance D] [--include-gaps]

  --symbol             market symbol as stored, e.g. BTC/USDT; repeat it (or comma-separate) for several
  --timeframe          candle series, e.g. 1h; repeatable: every symbol × timeframe is one series
  --from, --to         UTC dates (2024-03-01) or datetimes with a zone (2024-03-01T12:00Z);
                       rows with from <= timestamp < to; a bare date as --to includes that day
  --label              ${LABEL_TYPES.join(' | ')} or a LABEL_SPECS name, optionally with a horizon (price_direction:8h);
                       repeatable. Default horizons: price_direction 4h, market_regime 12h, sector_rotation 6h
  --horizon            the horizon of a single --label given without one
  --output, -o         file to write; its metadata goes to FILE.meta.json
  --format             csv or parquet (default: from the file's extension, else csv)
  --simulated          what to do with values computed from simulated inputs: empty them and keep
                       the row (empty, the default), drop such rows (drop) or keep them (include)
  --include-simulated  the same as --simulated include
  --include-gaps       keep rows whose feature windows cross a gap in the candles (candles_since_gap tells)
  --sentiment-tolerance  oldest sentiment row joined, measured from the end of its hour to the
                       candle's close (default ${DEFAULT_SENTIMENT_TOLERANCE}; 0 joins only the hour ending at the close)

Rows are ordered by time, then symbol and timeframe.`;

export interface ExportCommandIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** The database; default the process's pool (getPool()), closed when the command ends. */
  db?: Sql;
  now?: () => number;
  /** Told after every window written (the command line draws a progress bar with it). */
  onProgress?: (progress: ExportProgress) => void;
  /** Aborting it stops the export and removes its partial files (exit code 1). */
  signal?: AbortSignal;
}

const list = (values: string[] | undefined) => (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);

/** Exit codes: 0 written, 1 nothing to export or a failure, 2 bad arguments. Nothing is written unless 0. */
export async function runExportCommand(argv: string[], io: ExportCommandIo = {}): Promise<number> {
  const out = io.stdout ?? ((text) => process.stdout.write(`${text}\n`));
  const err = io.stderr ?? ((text) => process.stderr.write(`${text}\n`));
  const args = argv[0] === 'export' ? argv.slice(1) : argv;

  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (error) {
    err(`export: ${(error as Error).message}\n\n${EXPORT_USAGE}`);
    return 2;
  }
  if (values.help) {
    out(EXPORT_USAGE);
    return 0;
  }

  const missing = (['symbol', 'timeframe', 'from', 'to', 'label', 'output'] as const).filter((k) => !values[k]?.length);
  if (missing.length) {
    err(`export: missing ${missing.map((k) => `--${k}`).join(', ')}\n\n${EXPORT_USAGE}`);
    return 2;
  }
  const output = values.output!;
  const extension = /\.(csv|parquet)$/i.exec(output)?.[1]?.toLowerCase() as ExportFormat | undefined;
  if ((values.format === 'csv' || values.format === 'parquet') && extension && values.format !== extension) {
    err(`export: --format ${values.format} but the output file ends with .${extension}\n\n${EXPORT_USAGE}`);
    return 2;
  }
  if (values['include-simulated'] && values.simulated && values.simulated !== 'include') {
    err(`export: --include-simulated contradicts --simulated ${values.simulated}\n\n${EXPORT_USAGE}`);
    return 2;
  }

  const ownsPool = !io.db;
  try {
    const request = parseExportRequest({
      symbols: list(values.symbol),
      timeframes: list(values.timeframe),
      from: values.from!,
      to: values.to!,
      labels: list(values.label),
      horizon: values.horizon,
      format: (values.format ?? extension ?? 'csv') as ExportFormat,
      simulated: (values.simulated ?? (values['include-simulated'] ? 'include' : undefined)) as SimulatedPolicy | undefined,
      sentimentTolerance: values['sentiment-tolerance'],
      includeGaps: values['include-gaps'] ?? false,
    });
    const { file, metadataFile, metadata } = await exportTrainingSet(io.db ?? getPool(), request, output, { now: (io.now ?? Date.now)(), onProgress: io.onProgress, signal: io.signal });
    const excluded = Object.entries(metadata.excluded).filter(([, v]) => v.count > 0).map(([k, v]) => `${k} ${v.count}`);
    const emptied = Object.entries(metadata.simulated.emptied).map(([k, n]) => `${k} ${n}`);
    out(
      `wrote ${metadata.rows.exported} rows of ${metadata.series.length} series to ${file} (metadata: ${metadataFile})` +
        `${excluded.length ? `; excluded: ${excluded.join(', ')}` : ''}${emptied.length ? `; simulated values emptied: ${emptied.join(', ')}` : ''}`,
    );
    return 0;
  } catch (error) {
    const code = exitCodeFor(error);
    const message = error instanceof Error ? error.message : String(error);
    if (code === 2) err(`export: ${message}\n\n${EXPORT_USAGE}`);
    else err(`export: ${errorKindOf(error) === 'not_found' ? message : `failed: ${message}`}`);
    return code;
  } finally {
    if (ownsPool) await closePool();
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      symbol: { type: 'string', multiple: true },
      timeframe: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      label: { type: 'string', multiple: true },
      horizon: { type: 'string' },
      output: { type: 'string', short: 'o' },
      format: { type: 'string' },
      simulated: { type: 'string' },
      'include-simulated': { type: 'boolean' },
      'sentiment-tolerance': { type: 'string' },
      'include-gaps': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
