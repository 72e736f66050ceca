import type { Candle } from './candle';
import { DEFAULT_MAX_JUMP } from './defaults';
import { isAligned, timeframeMs } from './timeframe';

/**
 * Validation before anything is stored: pure, rows in, accepted candles and rejections out. Every
 * row either becomes a candle or a rejection naming the first rule it broke; none disappears.
 */
export const REJECTION_RULES = [
  'required',
  'finite',
  'positive',
  'high',
  'low',
  'volume',
  'alignment',
  'future',
  'duplicate',
  'jump',
] as const;
export type RejectionRule = (typeof REJECTION_RULES)[number];

export interface RejectedRow {
  /** The row as received, JSON-safe, for the quarantine table. */
  payload: unknown;
  timestamp: number | null;
  rule: RejectionRule;
  reason: string;
}

export interface ValidationOptions {
  timeframe: string;
  /** Unix ms; candles opening after it are rejected as future. */
  now: number;
  /** Largest accepted |close / previous close − 1|. */
  maxJump?: number;
  /** The stored candle just before this batch: the first reference for the jump rule. */
  previous?: Candle;
}

export interface ValidationResult {
  accepted: Candle[];
  rejected: RejectedRow[];
  /**
   * Only closed candles become features. The candle still open at `now` is set aside here, neither
   * accepted nor rejected: the next collection fetches it closed.
   */
  open: Candle[];
}

const FIELDS = ['timestamp', 'open', 'high', 'low', 'close', 'volume'] as const;
type Field = (typeof FIELDS)[number];

/** A row as ccxt returns it ([t, o, h, l, c, v]) or as a Candle-shaped object. */
function fieldsOf(row: unknown): Partial<Record<Field, unknown>> | null {
  if (Array.isArray(row)) return Object.fromEntries(FIELDS.map((field, i) => [field, row[i]]));
  if (row !== null && typeof row === 'object') return row as Partial<Record<Field, unknown>>;
  return null;
}

/** JSON keeps neither undefined nor NaN/Infinity: spell them out so the quarantine shows what came. */
export function jsonSafe(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, jsonSafe(v)]));
  }
  return value;
}

type Checked = { ok: true; candle: Candle } | { ok: false; rule: RejectionRule; reason: string; timestamp: number | null };

/** The rules that need only the row itself, in the order they are reported. */
function checkRow(row: unknown, options: ValidationOptions): Checked {
  const fields = fieldsOf(row);
  const rawTimestamp = fields?.timestamp;
  const timestamp = typeof rawTimestamp === 'number' && Number.isSafeInteger(rawTimestamp) ? rawTimestamp : null;
  const reject = (rule: RejectionRule, reason: string): Checked => ({ ok: false, rule, reason, timestamp });
  if (!fields) return reject('required', 'row is neither an [t, o, h, l, c, v] array nor a candle object');
  const missing = FIELDS.filter((field) => fields[field] === undefined || fields[field] === null);
  if (missing.length) return reject('required', `missing ${missing.join(', ')}`);
  const notFinite = FIELDS.filter((field) => typeof fields[field] !== 'number' || !Number.isFinite(fields[field]));
  if (notFinite.length) return reject('finite', `not a finite number: ${notFinite.map((f) => `${f}=${String(fields[f])}`).join(', ')}`);
  if (timestamp === null) return reject('finite', `timestamp ${String(rawTimestamp)} is not whole milliseconds`);
  const candle: Candle = {
    timestamp,
    open: fields.open as number,
    high: fields.high as number,
    low: fields.low as number,
    close: fields.close as number,
    volume: fields.volume as number,
  };
  const { open, high, low, close, volume } = candle;
  if (Math.min(open, high, low, close) <= 0) return reject('positive', `prices must be > 0 (open ${open}, high ${high}, low ${low}, close ${close})`);
  if (high < Math.max(open, close)) return reject('high', `high ${high} is below max(open ${open}, close ${close})`);
  if (low > Math.min(open, close)) return reject('low', `low ${low} is above min(open ${open}, close ${close})`);
  if (volume < 0) return reject('volume', `volume ${volume} is negative`);
  if (!isAligned(timestamp, options.timeframe)) {
    return reject('alignment', `${new Date(timestamp).toISOString()} is not a ${options.timeframe} candle open time`);
  }
  if (timestamp > options.now) {
    return reject('future', `${new Date(timestamp).toISOString()} is after now (${new Date(options.now).toISOString()})`);
  }
  return { ok: true, candle };
}

export function validateCandles(rows: readonly unknown[], options: ValidationOptions): ValidationResult {
  const maxJump = options.maxJump ?? DEFAULT_MAX_JUMP;
  const size = timeframeMs(options.timeframe);
  const rejected: RejectedRow[] = [];
  const open: Candle[] = [];
  const valid: { candle: Candle; payload: unknown }[] = [];
  for (const row of rows) {
    const checked = checkRow(row, options);
    if (checked.ok && checked.candle.timestamp + size > options.now) open.push(checked.candle);
    else if (checked.ok) valid.push({ candle: checked.candle, payload: row });
    else rejected.push({ payload: jsonSafe(row), timestamp: checked.timestamp, rule: checked.rule, reason: checked.reason });
  }
  valid.sort((a, b) => a.candle.timestamp - b.candle.timestamp);

  const accepted: Candle[] = [];
  const seen = new Map<number, Candle>();
  // The jump reference is the previous structurally valid candle, accepted or not: one bad print
  // then costs at most itself and its successor instead of every candle after a real level shift.
  let reference = options.previous;
  for (const { candle, payload } of valid) {
    const first = seen.get(candle.timestamp);
    if (first) {
      const same = FIELDS.every((field) => first[field] === candle[field]);
      rejected.push({
        payload: jsonSafe(payload),
        timestamp: candle.timestamp,
        rule: 'duplicate',
        reason: `second row for ${new Date(candle.timestamp).toISOString()}${same ? ' (identical)' : ' with different values; the first was kept'}`,
      });
      continue;
    }
    seen.set(candle.timestamp, candle);
    const step = reference ? Math.abs(candle.close / reference.close - 1) : 0;
    if (reference && step > maxJump) {
      rejected.push({
        payload: jsonSafe(payload),
        timestamp: candle.timestamp,
        rule: 'jump',
        reason: `close ${candle.close} is ${(step * 100).toFixed(1)}% from the previous close ${reference.close} (limit ${(maxJump * 100).toFixed(1)}%)`,
      });
    } else {
      accepted.push(candle);
    }
    reference = candle;
  }
  return { accepted, rejected, open };
}
