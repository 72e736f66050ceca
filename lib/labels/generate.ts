import { schemaMode } from '@/lib/db/info';
import { refreshTouchedRollups } from '@/lib/db/rollups';
import { readCandles } from '@/lib/ingest/series';
import type { Session, Sessions } from '@/lib/db/sql';
import { alignDown, lastClosedOpenTime, timeframeMs } from '@/lib/market/timeframe';
import { coinOf } from '@/lib/market/coin';
import { DomainError, type DomainErrorOptions } from '@/lib/errors';
import { CandleSeries, horizonMs, sectorRotationLabel, thresholdLabel, type ComputedLabel } from './compute';
import { labelSource, VOLATILITY_WINDOW, type LabelSpec, type LabelType } from './definitions';
import { DEFAULT_SPEC_LIST } from './specs';
import { upsertLabels } from './store';

/**
 * Generates labels for every candle open time in a range whose horizon has fully passed by the
 * injected clock, and stores them idempotently: running it again writes nothing, and a label whose
 * inputs changed (a simulated candle replaced by a real one) is rewritten. Without a range it
 * labels the whole stored history of the symbols.
 */
export interface LabelGeneratorDeps {
  sessions: Sessions;
  now?: () => number;
}

export interface GenerateLabelsRequest {
  /** Symbols to label. sector_rotation compares the BTC symbol with the others that have candles. */
  symbols: readonly string[];
  /** Candle series the labels come from (default '1h'). */
  timeframe?: string;
  /** The specs to run (default: the three defaults; the worker passes LABEL_SPECS). */
  specs?: readonly LabelSpec[];
  /** Only the specs of these types. */
  types?: readonly LabelType[];
  /** Label timestamps from (inclusive); default the first stored candle of the symbols. */
  from?: number;
  /** Label timestamps up to (inclusive); default the newest possible. */
  to?: number;
}

export interface GenerateLabelsResult {
  /** Labels computed (complete data, horizon passed), per spec name, one per symbol and timestamp. */
  computed: Record<string, number>;
  /** Labels inserted or changed, per spec name. */
  written: Record<string, number>;
  /** Why a spec produced nothing, or a symbol was left out, keyed by spec name or symbol. */
  skipped: Record<string, string>;
  /** The sector_rotation basket (BTC first), when one was formed. */
  basket: string[] | null;
  /** The label timestamps considered, or null when there was nothing to look at. */
  range: { from: number; to: number } | null;
  /** The newest t whose every horizon has passed: where a worker's watermark may advance to. */
  settledThrough: number | null;
}

export class LabelRequestError extends DomainError {
  override name = 'LabelRequestError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

/** The specs that fit the timeframe; the others are named in `skipped`. */
function usableSpecs(request: GenerateLabelsRequest, step: number, timeframe: string, skipped: Record<string, string>): LabelSpec[] {
  const wanted = (request.specs ?? DEFAULT_SPEC_LIST).filter((s) => !request.types || request.types.includes(s.type));
  if (!wanted.length) throw new LabelRequestError(`no label spec of type ${request.types?.join(', ')} is configured`);
  const usable = wanted.filter((spec) => {
    let ms: number;
    try {
      ms = horizonMs(spec.horizon);
    } catch (error) {
      throw new LabelRequestError(`${spec.name}: ${(error as Error).message}`);
    }
    if (!(spec.thresholdK > 0)) throw new LabelRequestError(`${spec.name}: the threshold must be positive`);
    const fits = ms % step === 0 && ms >= step;
    if (!fits) skipped[spec.name] = `horizon ${spec.horizon} is not a whole number of ${timeframe} candles`;
    return fits;
  });
  if (!usable.length) throw new LabelRequestError(Object.entries(skipped).map(([name, why]) => `${name}: ${why}`).join('; '));
  return usable;
}

async function firstStored(db: Session, symbols: readonly string[], timeframe: string): Promise<number | null> {
  const { rows: [row] } = await db.query<{ first: number | null }>(
    `select (extract(epoch from min(first)) * 1000)::float8 as first from unnest($1::text[]) as s(symbol)
     cross join lateral (select min(timestamp) as first from ml_features_ohlcv f where f.symbol = s.symbol and f.timeframe = $2) m`,
    [symbols, timeframe],
  );
  return row?.first ?? null;
}

export async function generateLabels(deps: LabelGeneratorDeps, request: GenerateLabelsRequest): Promise<GenerateLabelsResult> {
  const timeframe = request.timeframe ?? '1h';
  const step = timeframeMs(timeframe);
  const result: GenerateLabelsResult = { computed: {}, written: {}, skipped: {}, basket: null, range: null, settledThrough: null };
  const specs = usableSpecs(request, step, timeframe, result.skipped);
  for (const spec of specs) result.computed[spec.name] = result.written[spec.name] = 0;
  const symbols = [...new Set(request.symbols)];
  if (!symbols.length) throw new LabelRequestError('no symbols to label');
  const now = (deps.now ?? Date.now)();
  const lastClosed = lastClosedOpenTime(now, timeframe);
  const longest = Math.max(...specs.map((s) => horizonMs(s.horizon)));
  const source = labelSource(timeframe);

  await deps.sessions(async (db) => {
    const first = request.from ?? (await firstStored(db, symbols, timeframe));
    if (first === null) {
      for (const symbol of symbols) result.skipped[symbol] = `no ${timeframe} candles stored`;
      return;
    }
    // The newest t whose longest horizon could have passed; each label checks its own below.
    const to = alignDown(Math.min(request.to ?? Infinity, lastClosed), timeframe);
    const from = alignDown(first, timeframe);
    if (from > to) return;
    result.range = { from, to };
    result.settledThrough = Math.min(to, alignDown(lastClosed - longest, timeframe));

    const series = new Map<string, CandleSeries>();
    for (const symbol of symbols) {
      const candles = await readCandles(db, { symbol, timeframe }, from - VOLATILITY_WINDOW * step, Math.min(to + longest, lastClosed));
      if (!candles.length) result.skipped[symbol] = `no ${timeframe} candles stored between ${new Date(from).toISOString()} and ${new Date(to).toISOString()}`;
      series.set(symbol, new CandleSeries(candles.map((c) => ({ timestamp: c.timestamp, close: c.close, isSimulated: c.isSimulated })), step));
    }
    const present = symbols.filter((s) => !result.skipped[s]);
    const bySymbol = new Map<string, ComputedLabel[]>(symbols.map((s) => [s, []]));
    const btcSymbol = present.find((s) => coinOf(s) === 'BTC');
    const alts = present.filter((s) => s !== btcSymbol);
    const basket = btcSymbol ? [btcSymbol, ...alts] : null;

    for (const spec of specs) {
      const horizon = horizonMs(spec.horizon);
      if (spec.type === 'sector_rotation' && (!btcSymbol || !alts.length)) {
        result.skipped[spec.name] = `needs the BTC symbol and at least one altcoin with ${timeframe} candles; had ${present.join(', ') || 'none'}`;
        continue;
      }
      // Only timestamps whose outcome candle (t + horizon) has closed: never a label before its time.
      for (let t = from; t <= to && t + horizon <= lastClosed; t += step) {
        if (spec.type === 'sector_rotation') {
          const label = sectorRotationLabel(series.get(btcSymbol!)!, alts.map((s) => series.get(s)!), t, spec);
          if (!label) continue;
          result.computed[spec.name]! += basket!.length;
          for (const symbol of basket!) bySymbol.get(symbol)!.push({ ...label, basket: basket! });
          continue;
        }
        for (const symbol of present) {
          const label = thresholdLabel(series.get(symbol)!, t, spec as LabelSpec & { type: 'price_direction' | 'market_regime' });
          if (!label) continue;
          result.computed[spec.name]! += 1;
          bySymbol.get(symbol)!.push(label);
        }
      }
      if (spec.type === 'sector_rotation') result.basket = basket;
      if (!result.computed[spec.name]) {
        result.skipped[spec.name] ??= `no timestamp between ${new Date(from).toISOString()} and ${new Date(to).toISOString()} has the ${VOLATILITY_WINDOW} candles before it and the ${spec.horizon} after it (closed, without gaps)`;
      }
    }
    const changed: number[] = [];
    for (const [symbol, labels] of bySymbol) {
      for (const spec of specs) {
        const written = await upsertLabels(db, symbol, source, labels.filter((l) => l.spec === spec.name));
        result.written[spec.name]! += written.length;
        changed.push(...written);
      }
    }
    // TimescaleDB's refresh policy looks back 10 days: the daily counts of the labels written on
    // any older day are refreshed here (plain mode's triggers already did, in the same statement).
    if (changed.length) {
      const mode = await schemaMode(db);
      if (mode) await refreshTouchedRollups(db, mode, 'labels', changed);
    }
  });
  return result;
}

/** Total labels computed over every spec. */
export const totalComputed = (result: GenerateLabelsResult) => Object.values(result.computed).reduce((sum, n) => sum + n, 0);
