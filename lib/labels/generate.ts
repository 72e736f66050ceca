import { readCandles } from '@/lib/ingest/series';
import type { Sessions } from '@/lib/db/sql';
import { alignDown, lastClosedOpenTime, timeframeMs } from '@/lib/market/timeframe';
import { coinOf } from '@/lib/market/coin';
import { CandleSeries, horizonMs, sectorRotationLabel, thresholdLabel, type ComputedLabel } from './compute';
import { DEFAULT_LABEL_SPECS, LABEL_TYPES, labelSource, VOLATILITY_WINDOW, type LabelSpec, type LabelType } from './definitions';
import { upsertLabels } from './store';
import { DAY_MS } from '@/lib/market/time';
import { DomainError, type DomainErrorOptions } from '@/lib/errors';

/**
 * Generates labels for every candle open time in a range whose horizon has fully passed by the
 * injected clock, and stores them idempotently: running it again writes nothing, and a label whose
 * inputs changed (a simulated candle replaced by a real one) is rewritten. The worker calls it
 * after each collection; a backfill passes an explicit range.
 */
export interface LabelGeneratorDeps {
  sessions: Sessions;
  now?: () => number;
}

export interface GenerateLabelsRequest {
  /** Symbols to label. sector_rotation needs the BTC symbol and at least one other among them. */
  symbols: readonly string[];
  /** Candle series the labels come from (default '1h'). */
  timeframe?: string;
  types?: readonly LabelType[];
  /** Per-type overrides of horizon and threshold. */
  specs?: Partial<Record<LabelType, Partial<Omit<LabelSpec, 'type'>>>>;
  /** Label timestamps from (inclusive); default 7 days before `to`. */
  from?: number;
  /** Label timestamps up to (inclusive); default the newest possible. */
  to?: number;
}

export interface GenerateLabelsResult {
  /** Labels computed (complete data, horizon passed), one per symbol and timestamp. */
  computed: Record<LabelType, number>;
  /** Labels inserted or changed. */
  written: Record<LabelType, number>;
  /** Why a requested label type produced nothing at all, if it did not. */
  skipped: Partial<Record<LabelType, string>>;
}

export class LabelRequestError extends DomainError {
  override name = 'LabelRequestError';
  constructor(message: string, options?: DomainErrorOptions) {
    super('invalid', message, options);
  }
}

export const DEFAULT_LOOKBACK_MS = 7 * DAY_MS;

function resolveSpecs(request: GenerateLabelsRequest, step: number): LabelSpec[] {
  const types = request.types ?? LABEL_TYPES;
  return types.map((type) => {
    const spec = { ...DEFAULT_LABEL_SPECS[type], ...request.specs?.[type], type };
    let ms: number;
    try {
      ms = horizonMs(spec.horizon);
    } catch (error) {
      throw new LabelRequestError((error as Error).message);
    }
    if (ms % step !== 0 || ms < step) throw new LabelRequestError(`${type}: horizon ${spec.horizon} is not a whole number of ${request.timeframe ?? '1h'} candles`);
    if (!(spec.thresholdK > 0)) throw new LabelRequestError(`${type}: the threshold must be positive`);
    return spec;
  });
}

export async function generateLabels(deps: LabelGeneratorDeps, request: GenerateLabelsRequest): Promise<GenerateLabelsResult> {
  const timeframe = request.timeframe ?? '1h';
  const step = timeframeMs(timeframe);
  const specs = resolveSpecs(request, step);
  const symbols = [...new Set(request.symbols)];
  if (!symbols.length) throw new LabelRequestError('no symbols to label');
  const now = (deps.now ?? Date.now)();
  const lastClosed = lastClosedOpenTime(now, timeframe);
  const longest = Math.max(...specs.map((s) => horizonMs(s.horizon)));
  // The newest t whose longest horizon could have passed; each label checks its own below.
  const to = alignDown(Math.min(request.to ?? Infinity, lastClosed), timeframe);
  const from = alignDown(request.from ?? to - DEFAULT_LOOKBACK_MS, timeframe);

  const result: GenerateLabelsResult = {
    computed: { price_direction: 0, market_regime: 0, sector_rotation: 0 },
    written: { price_direction: 0, market_regime: 0, sector_rotation: 0 },
    skipped: {},
  };
  if (from > to) return result;
  const source = labelSource(timeframe);

  await deps.sessions(async (db) => {
    const series = new Map<string, CandleSeries>();
    for (const symbol of symbols) {
      const candles = await readCandles(db, { symbol, timeframe }, from - VOLATILITY_WINDOW * step, Math.min(to + longest, lastClosed));
      series.set(symbol, new CandleSeries(candles.map((c) => ({ timestamp: c.timestamp, close: c.close, isSimulated: c.isSimulated })), step));
    }
    const bySymbol = new Map<string, ComputedLabel[]>(symbols.map((s) => [s, []]));
    const btcSymbol = symbols.find((s) => coinOf(s) === 'BTC');
    const alts = symbols.filter((s) => s !== btcSymbol);

    for (const spec of specs) {
      const horizon = horizonMs(spec.horizon);
      if (spec.type === 'sector_rotation' && (!btcSymbol || !alts.length)) {
        result.skipped.sector_rotation = 'needs the BTC symbol and at least one altcoin among the symbols';
        continue;
      }
      // Only timestamps whose outcome candle (t + horizon) has closed: never a label before its time.
      for (let t = from; t <= to && t + horizon <= lastClosed; t += step) {
        if (spec.type === 'sector_rotation') {
          const label = sectorRotationLabel(series.get(btcSymbol!)!, alts.map((s) => series.get(s)!), t, spec);
          if (!label) continue;
          result.computed.sector_rotation += symbols.length;
          for (const symbol of symbols) bySymbol.get(symbol)!.push(label);
          continue;
        }
        for (const symbol of symbols) {
          const label = thresholdLabel(series.get(symbol)!, t, spec as LabelSpec & { type: 'price_direction' | 'market_regime' });
          if (!label) continue;
          result.computed[spec.type] += 1;
          bySymbol.get(symbol)!.push(label);
        }
      }
    }
    for (const [symbol, labels] of bySymbol) {
      for (const type of LABEL_TYPES) {
        result.written[type] += await upsertLabels(db, symbol, source, labels.filter((l) => l.type === type));
      }
    }
  });
  return result;
}
