import type { Info } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import type { Candle } from './candle';
import { DomainError } from '../errors';

/**
 * Candle CSV files as users bring them, in two layouts:
 * - standard: header `timestamp,open,high,low,close,volume` (any column order, extra columns
 *   ignored), rows oldest first, timestamps all ISO-8601 or all unix milliseconds;
 * - CryptoDataDownload: a URL banner line, then
 *   `unix,date,symbol,open,high,low,close,Volume <BASE>,Volume <QUOTE>,tradecount`, rows newest
 *   first; volume is the base-asset column (the first `Volume …` one).
 * Candles come back ascending. Any problem throws a CandleCsvError naming the 1-based line
 * (as an editor shows it).
 */
export type TimestampFormat = 'iso' | 'unix_ms';
export type CandleCsvLayout = 'standard' | 'cryptodatadownload';

export interface ParsedCandleCsv {
  candles: Candle[];
  /** How the input wrote timestamps, so output can use the same form ('iso' for a file without rows). */
  timestampFormat: TimestampFormat;
  layout: CandleCsvLayout;
}

export class CandleCsvError extends DomainError {
  override name = 'CandleCsvError';
  readonly line: number;

  constructor(line: number, problem: string) {
    super('unprocessable', `line ${line}: ${problem}`);
    this.line = line;
  }
}

const STANDARD_COLUMNS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;
const CDD_PRICE_COLUMNS = ['unix', 'open', 'high', 'low', 'close'] as const;
// Before this instant (1973) a unix-ms value is implausible for market data, but unix seconds
// of any recent date fall below it: the likeliest mistake, worth a clear message.
const MIN_UNIX_MS = 1e11;

export interface CsvRow {
  fields: string[];
  line: number;
}
type Row = CsvRow;

export function parseCandlesCsv(text: string): ParsedCandleCsv {
  const rows = readRows(text);
  if (rows.length === 0) throw new CandleCsvError(1, 'the file is empty; expected a header line');
  const header = rows[0];
  const names = header.fields.map((name) => name.trim().toLowerCase());
  if (names[0] === 'unix') return parseCryptoDataDownload(header, names, rows.slice(1));
  return parseStandard(header, names, rows.slice(1));
}

/** Writes a timestamp the way an input file of that format did. */
export function formatTimestamp(timestamp: number, format: TimestampFormat): string {
  return format === 'iso' ? new Date(timestamp).toISOString() : String(timestamp);
}

function readRows(text: string): Row[] {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  // CryptoDataDownload puts its URL on line 1, above the header.
  const firstLine = withoutBom.slice(0, withoutBom.search(/\r?\n|$/));
  const fromLine = /^\s*https?:\/\//i.test(firstLine) ? 2 : 1;
  let records: { record: string[]; info: Info }[];
  try {
    // With `info: true` each record comes with its position; the typings do not model that.
    records = parse(withoutBom, {
      from_line: fromLine,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: Info }[];
  } catch (error) {
    const line = (error as { lines?: number }).lines ?? fromLine;
    throw new CandleCsvError(line, `not valid CSV: ${(error as Error).message}`);
  }
  return records.map(({ record, info }) => ({ fields: record, line: info.lines }));
}

function parseStandard(header: Row, names: string[], rows: Row[]): ParsedCandleCsv {
  const reader = standardReader(header, names);
  const candles = rows.map(reader.read);
  return { candles, timestampFormat: reader.timestampFormat(), layout: 'standard' };
}

/**
 * The standard layout one row at a time (the streaming import reads files too big to hold): each
 * row becomes a candle, checked against the header and the previous row (one timestamp format,
 * strictly ascending).
 */
export function standardReader(header: Row, names: string[]): { read: (row: Row) => Candle; timestampFormat: () => TimestampFormat } {
  const at = columnPositions(header, names, STANDARD_COLUMNS, 'timestamp,open,high,low,close,volume');
  let timestampFormat: TimestampFormat | undefined;
  let previous: Candle | undefined;
  const read = (row: Row): Candle => {
    const cells = cellsOf(row, at.width);
    const raw = cells(at.timestamp, 'timestamp');
    const format: TimestampFormat = /^\d+$/.test(raw) ? 'unix_ms' : 'iso';
    timestampFormat ??= format;
    if (format !== timestampFormat) {
      throw new CandleCsvError(row.line, `timestamp "${raw}" is ${describe(format)} but earlier rows use ${describe(timestampFormat)}`);
    }
    const timestamp = format === 'unix_ms' ? parseUnixMs(raw, row.line) : parseIso(raw, row.line);
    const candle = candleFrom(row.line, timestamp, cells, at);
    if (previous && candle.timestamp <= previous.timestamp) {
      const problem = candle.timestamp === previous.timestamp ? 'duplicate timestamp' : 'timestamp goes back in time';
      throw new CandleCsvError(row.line, `${problem}: "${raw}" is not after the previous row's; rows must be sorted oldest first`);
    }
    previous = candle;
    return candle;
  };
  return { read, timestampFormat: () => timestampFormat ?? 'iso' };
}

function parseCryptoDataDownload(header: Row, names: string[], rows: Row[]): ParsedCandleCsv {
  const at = columnPositions(header, names, CDD_PRICE_COLUMNS, 'unix,date,symbol,open,high,low,close,Volume <BASE>,…');
  const volume = names.findIndex((name) => name.startsWith('volume '));
  if (volume < 0) {
    throw new CandleCsvError(header.line, 'missing the base-asset volume column ("Volume <BASE>", e.g. "Volume BTC")');
  }
  const positions = { ...at, timestamp: at.unix, volume, width: Math.max(at.width, volume + 1) };
  const newestFirst: Candle[] = [];
  for (const row of rows) {
    const cells = cellsOf(row, positions.width);
    const raw = cells(positions.timestamp, 'unix');
    let timestamp = parseUnixDigits(raw, row.line);
    // Older CryptoDataDownload files mix unix seconds into the millisecond column.
    if (timestamp < MIN_UNIX_MS) timestamp *= 1000;
    const candle = candleFrom(row.line, timestamp, cells, positions);
    const newer = newestFirst[newestFirst.length - 1];
    if (newer && candle.timestamp >= newer.timestamp) {
      const problem = candle.timestamp === newer.timestamp ? 'duplicate timestamp' : 'timestamp out of order';
      throw new CandleCsvError(row.line, `${problem}: "${raw}" is not before the previous row's; CryptoDataDownload rows are newest first`);
    }
    newestFirst.push(candle);
  }
  return { candles: newestFirst.reverse(), timestampFormat: 'unix_ms', layout: 'cryptodatadownload' };
}

type Positions = Record<'timestamp' | 'open' | 'high' | 'low' | 'close' | 'volume' | 'width', number>;

function columnPositions<Name extends string>(
  header: Row,
  names: string[],
  required: readonly Name[],
  expected: string,
): Record<Name | 'width', number> {
  const missing = required.filter((name) => !names.includes(name));
  if (missing.length > 0) {
    const list = missing.map((name) => `"${name}"`).join(', ');
    throw new CandleCsvError(header.line, `missing column${missing.length > 1 ? 's' : ''} ${list}; expected a header like ${expected}`);
  }
  const positions = Object.fromEntries(required.map((name) => [name, names.indexOf(name)])) as Record<Name | 'width', number>;
  positions.width = Math.max(...required.map((name) => names.indexOf(name))) + 1;
  return positions;
}

/** Cell reader for one row that reports short rows and empty cells with the line number. */
function cellsOf(row: Row, width: number): (index: number, column: string) => string {
  if (row.fields.length < width) {
    throw new CandleCsvError(row.line, `expected at least ${width} fields, found ${row.fields.length}`);
  }
  return (index, column) => {
    const value = row.fields[index];
    if (value === '') throw new CandleCsvError(row.line, `empty ${column}`);
    return value;
  };
}

function candleFrom(line: number, timestamp: number, cells: ReturnType<typeof cellsOf>, at: Positions): Candle {
  const price = (column: 'open' | 'high' | 'low' | 'close') => {
    const value = parseDecimal(cells(at[column], column), column, line);
    if (value <= 0) throw new CandleCsvError(line, `${column} must be greater than 0, got ${value}`);
    return value;
  };
  const candle = {
    timestamp,
    open: price('open'),
    high: price('high'),
    low: price('low'),
    close: price('close'),
    volume: parseDecimal(cells(at.volume, 'volume'), 'volume', line),
  };
  if (candle.volume < 0) throw new CandleCsvError(line, `volume must not be negative, got ${candle.volume}`);
  if (candle.high < candle.low) throw new CandleCsvError(line, `high ${candle.high} is below low ${candle.low}`);
  return candle;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseDecimal(raw: string, column: string, line: number): number {
  const value = DECIMAL.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value)) throw new CandleCsvError(line, `${column} "${raw}" is not a number`);
  return value;
}

function parseUnixDigits(raw: string, line: number): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value)) throw new CandleCsvError(line, `timestamp "${raw}" is not a unix time in milliseconds`);
  return value;
}

function parseUnixMs(raw: string, line: number): number {
  const value = parseUnixDigits(raw, line);
  if (value < MIN_UNIX_MS) {
    throw new CandleCsvError(line, `timestamp "${raw}" looks like unix seconds; expected unix milliseconds`);
  }
  return value;
}

// Date, optionally a time with seconds and fraction; a time needs an explicit zone, because a
// zoneless time would silently depend on the machine's time zone.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2})))?$/i;

function parseIso(raw: string, line: number): number {
  const match = ISO.exec(raw);
  if (!match) {
    throw new CandleCsvError(
      line,
      `timestamp "${raw}" is neither unix milliseconds nor ISO-8601 with a time zone (e.g. 2024-01-31T13:00:00Z)`,
    );
  }
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', , sign, offsetHours, offsetMinutes] = match;
  const parts = [year, month, day, hour, minute, second].map(Number);
  const millisecond = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], millisecond);
  const check = new Date(local);
  const valid =
    check.getUTCFullYear() === parts[0] &&
    check.getUTCMonth() === parts[1] - 1 &&
    check.getUTCDate() === parts[2] &&
    check.getUTCHours() === parts[3] &&
    check.getUTCMinutes() === parts[4] &&
    check.getUTCSeconds() === parts[5];
  if (!valid) throw new CandleCsvError(line, `timestamp "${raw}" is not a real date and time`);
  const offsetMs = sign ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000 : 0;
  return local - offsetMs;
}

function describe(format: TimestampFormat): string {
  return format === 'iso' ? 'ISO-8601' : 'unix milliseconds';
}
