import { parseArgs } from 'node:util';
import { closePool, getPool } from '@/lib/db/pool';
import { LABEL_TYPES } from '@/lib/labels/definitions';
import type { Sql } from './dataset';
import { errorKindOf, exitCodeFor } from '@/lib/errors';
import { exportTrainingSet } from './export';
import { parseExportRequest, type ExportFormat } from './request';

export const EXPORT_USAGE = `usage: npm run features -- export --symbol S --timeframe T --from D1 --to D2 --label TYPE --output FILE
                              [--format csv|parquet] [--horizon H] [--include-simulated] [--include-gaps]

  --symbol             market symbol as stored, e.g. BTC/USDT
  --timeframe          candle series, e.g. 1h
  --from, --to         UTC dates (2024-03-01) or datetimes with a zone (2024-03-01T12:00Z);
                       rows with from <= timestamp < to; a bare date as --to includes that day
  --label              ${LABEL_TYPES.join(' | ')}, or a spec name of LABEL_SPECS
  --horizon            label horizon (default: price_direction 4h, market_regime 12h, sector_rotation 6h)
  --output, -o         file to write; its metadata goes to FILE.meta.json
  --format             csv or parquet (default: from the file's extension, else csv)
  --include-simulated  keep rows whose candle, label or sentiment was simulated (flagged in is_simulated)
  --include-gaps       keep rows whose feature windows cross a gap in the candles (candles_since_gap tells)`;

export interface ExportCommandIo {
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** The database; default the process's pool (getPool()), closed when the command ends. */
  db?: Sql;
  now?: () => number;
}

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

  const missing = (['symbol', 'timeframe', 'from', 'to', 'label', 'output'] as const).filter((k) => !values[k]);
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

  const ownsPool = !io.db;
  try {
    const request = parseExportRequest({
      symbol: values.symbol!,
      timeframe: values.timeframe!,
      from: values.from!,
      to: values.to!,
      label: values.label!,
      horizon: values.horizon,
      format: (values.format ?? extension ?? 'csv') as ExportFormat,
      includeSimulated: values['include-simulated'] ?? false,
      includeGaps: values['include-gaps'] ?? false,
    });
    const { file, metadataFile, metadata } = await exportTrainingSet(io.db ?? getPool(), request, output, (io.now ?? Date.now)());
    const excluded = Object.entries(metadata.excluded).filter(([, v]) => v.count > 0).map(([k, v]) => `${k} ${v.count}`);
    out(`wrote ${metadata.rows.exported} rows to ${file} (metadata: ${metadataFile})${excluded.length ? `; excluded: ${excluded.join(', ')}` : ''}`);
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
      symbol: { type: 'string' },
      timeframe: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      label: { type: 'string' },
      horizon: { type: 'string' },
      output: { type: 'string', short: 'o' },
      format: { type: 'string' },
      'include-simulated': { type: 'boolean' },
      'include-gaps': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
