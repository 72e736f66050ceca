/**
 * Speed of the OHLCV features against TA-Lib C and technicalindicators on the same 1,000,000
 * synthetic candles (a seeded random walk, so every run sees the same data).
 *
 *   npx tsx bench/indicators.ts
 *
 * The baseline is TA-Lib C called directly from C over double[] (./talib-c: compiled with the
 * system compiler at bench time, -O2, against the static library the `talib` dev dependency
 * builds), running its 11 functions over the same columns, best of the same repetitions. Goals:
 * the 33 features in batch ≤ 2× that, one streaming update ≤ 5 µs. The node `talib` binding is
 * shown too, but it is no baseline: most of its time is copying JS arrays in and out.
 */
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as technicalindicators from 'technicalindicators';
import { runTalibC, type TalibCFunction, type TalibCRun } from './talib-c/run';
import {
  allocateFeatureColumns,
  computeOhlcvFeatureColumns,
  computeOhlcvFeatures,
  OhlcvFeatureEngine,
  OhlcvFeatureStream,
  runFeatureColumns,
  toCandleColumns,
  type CandleColumns,
  type FeatureColumnArrays,
} from '../lib/features';
import { FEATURE_FAMILIES } from '../lib/features/kernel';
import type { Candle } from '../lib/market/candle';

const CANDLES = 1_000_000;
const WARM_UP = 50_000;
const STREAM_WARM_UP = 1_000;
const STREAM_CHUNKS = 10;
const STREAM_CHUNK = 20_000;
// Best of this many runs for the timings the batch goal compares, on both sides (others run once).
const REPEATS = 3;
const BATCH_GOAL = 2;
const STREAM_GOAL_US = 5;

// A full collection between measurements, so one phase's garbage is not billed to the next.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

interface Series {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}

function syntheticCandles(count: number): Candle[] {
  let state = 20240101;
  const random = () => (state = (state * 16807) % 2147483647) / 2147483647;
  const candles: Candle[] = new Array(count);
  let price = 30_000;
  for (let i = 0; i < count; i++) {
    const open = price;
    price *= 1 + (random() - 0.5) * 0.01;
    candles[i] = {
      timestamp: Date.UTC(2020, 0, 1) + i * 3_600_000,
      open,
      high: Math.max(open, price) * (1 + random() * 0.003),
      low: Math.min(open, price) * (1 - random() * 0.003),
      close: price,
      volume: random() < 0.02 ? 0 : random() * 500,
    };
  }
  return candles;
}

function seriesOf(candles: readonly Candle[]): Series {
  return {
    open: candles.map((c) => c.open),
    high: candles.map((c) => c.high),
    low: candles.map((c) => c.low),
    close: candles.map((c) => c.close),
    volume: candles.map((c) => c.volume),
  };
}

/**
 * Wall-clock and CPU time (user + system of this process) of one run. The ratios and goals use
 * CPU time: on a shared machine other processes stretch wall time, not the work done here.
 */
interface Timing {
  wallMs: number;
  cpuMs: number;
}

function time(run: () => unknown): Timing {
  collectGarbage();
  const wallStart = performance.now();
  const cpuStart = process.cpuUsage();
  run();
  const cpu = process.cpuUsage(cpuStart);
  return { wallMs: performance.now() - wallStart, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** The fastest of `repeats` runs: noise (other processes, page faults) only ever adds time. */
function fastestOf(run: () => unknown, repeats = REPEATS): Timing {
  let fastest: Timing = { wallMs: Infinity, cpuMs: Infinity };
  for (let i = 0; i < repeats; i++) {
    const timing = time(run);
    if (timing.cpuMs < fastest.cpuMs) fastest = timing;
  }
  return fastest;
}

/**
 * CPU µs per streaming update, per chunk of updates, sorted. No forced collection between
 * chunks: V8 shrinks the young generation after one, and re-growing it would be billed here.
 */
function streamingChunksUs(candles: readonly Candle[]): number[] {
  const stream = OhlcvFeatureStream.fromHistory(candles.slice(0, STREAM_WARM_UP));
  collectGarbage();
  let next = STREAM_WARM_UP;
  const run = (count: number) => {
    for (const end = next + count; next < end; next++) stream.update(candles[next]);
  };
  run(STREAM_CHUNK);
  const perUpdate: number[] = [];
  for (let chunk = 0; chunk < STREAM_CHUNKS; chunk++) {
    const cpuStart = process.cpuUsage();
    run(STREAM_CHUNK);
    const cpu = process.cpuUsage(cpuStart);
    perUpdate.push((cpu.user + cpu.system) / STREAM_CHUNK);
  }
  return perUpdate.sort((a, b) => a - b);
}

type TalibExecute = (request: Record<string, unknown>) => unknown;

/** TA-Lib's functions behind the 16 seed columns; TYPPRICE stands in for VWAP, which TA-Lib lacks. */
const TALIB_CALLS: [string, Record<string, number>][] = [
  ['ATR', { optInTimePeriod: 14 }],
  ['RSI', { optInTimePeriod: 14 }],
  ['MACD', { optInFastPeriod: 12, optInSlowPeriod: 26, optInSignalPeriod: 9 }],
  ['BBANDS', { optInTimePeriod: 20, optInNbDevUp: 2, optInNbDevDn: 2, optInMAType: 0 }],
  ['STOCH', { optInFastK_Period: 14, optInSlowK_Period: 3, optInSlowK_MAType: 0, optInSlowD_Period: 3, optInSlowD_MAType: 0 }],
  ['WILLR', { optInTimePeriod: 14 }],
  ['CCI', { optInTimePeriod: 20 }],
  ['ADX', { optInTimePeriod: 14 }],
  ['OBV', {}],
  ['MFI', { optInTimePeriod: 14 }],
  ['TYPPRICE', {}],
];

function runTalib(execute: TalibExecute, s: Series): void {
  const input = { startIdx: 0, endIdx: s.close.length - 1, ...s, inReal: s.close };
  for (const [name, options] of TALIB_CALLS) execute({ name, ...input, ...options });
}

/** technicalindicators' counterparts of the same 11 (it has a VWAP). */
function runTechnicalIndicators(s: Series): void {
  const { ATR, RSI, MACD, BollingerBands, Stochastic, WilliamsR, CCI, ADX, OBV, MFI, VWAP } = technicalindicators;
  const hlc = { high: s.high, low: s.low, close: s.close };
  ATR.calculate({ ...hlc, period: 14 });
  RSI.calculate({ values: s.close, period: 14 });
  MACD.calculate({ values: s.close, fastPeriod: 12, slowPeriod: 26, signalPeriod: 9, SimpleMAOscillator: false, SimpleMASignal: false });
  BollingerBands.calculate({ values: s.close, period: 20, stdDev: 2 });
  Stochastic.calculate({ ...hlc, period: 14, signalPeriod: 3 });
  WilliamsR.calculate({ ...hlc, period: 14 });
  CCI.calculate({ ...hlc, period: 20 });
  ADX.calculate({ ...hlc, period: 14 });
  OBV.calculate({ close: s.close, volume: s.volume });
  MFI.calculate({ ...hlc, volume: s.volume, period: 14 });
  VWAP.calculate({ ...hlc, volume: s.volume });
}

function loadTalib(): TalibExecute | string {
  try {
    const talib = createRequire(import.meta.url)('talib') as { execute: TalibExecute };
    return (request) => talib.execute(request);
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

const seconds = (t: Timing) => `${(t.cpuMs / 1000).toFixed(2)} s CPU (${(t.wallMs / 1000).toFixed(2)} s wall)`;
const ratio = (ms: number, baseline: number | undefined) => (baseline ? `${(ms / baseline).toFixed(2)}×` : 'n/a');
// Other processes slow every timing here; say how busy the machine was.
const load = () => `load average ${loadavg()[0].toFixed(2)} on ${availableParallelism()} cores`;

/** The engine before the column kernel: every indicator stepped candle by candle (the streaming path). */
function stepwiseColumns(candles: readonly Candle[], out: FeatureColumnArrays): void {
  const engine = new OhlcvFeatureEngine();
  const values = engine.values;
  for (let i = 0; i < candles.length; i++) {
    engine.step(candles[i]!);
    for (let c = 0; c < out.length; c++) out[c]![i] = values[c]!;
  }
}

/** The harness's TA-Lib calls that compute what each of the kernel's families computes. */
const FAMILY_TALIB: Record<string, string[]> = {
  vwap: ['TYPPRICE'],
  atr: ['ATR'],
  rsi: ['RSI'],
  macd: ['MACD'],
  bollinger: ['BBANDS'],
  'williams_r, stochastic': ['WILLR', 'STOCH'],
  cci: ['CCI'],
  'adx, plus_di, minus_di': ['ADX', 'PLUS_DI', 'MINUS_DI'],
  obv: ['OBV'],
  mfi: ['MFI'],
  'returns, realized_vol_24': ['ROCP(1)', 'ROCP(4)', 'ROCP(24)', 'ROC(10)', 'LN(ROCR(1))', 'LN(ROCR(4))', 'LN(ROCR(24))', 'STDDEV(24) of log returns'],
  'dist_sma/ema, keltner_width': ['EMA(20)', 'SMA(50)', 'SMA(200)', 'ATR(10)'],
  donchian_width: ['MAX(20) of high', 'MIN(20) of low'],
  volume_zscore_20: ['SMA(20) of volume', 'STDDEV(20) of volume'],
};

/**
 * CPU ms of each family of the kernel on its own over all the candles (a fresh engine each
 * time; the columns one family reads of another are already filled), best of REPEATS: which
 * indicators are far from their TA-Lib C counterparts.
 */
function familyTimings(columns: CandleColumns, out: FeatureColumnArrays): Map<string, number> {
  const best = new Map<string, number>();
  collectGarbage();
  for (let r = 0; r < REPEATS; r++) {
    for (const family of FEATURE_FAMILIES) {
      // No forced collection per family: its background sweeping would be billed to the next one.
      const engine = new OhlcvFeatureEngine();
      const cpuStart = process.cpuUsage();
      family.run(engine, columns, out, 0, CANDLES);
      const cpu = process.cpuUsage(cpuStart);
      best.set(family.name, Math.min(best.get(family.name) ?? Infinity, (cpu.user + cpu.system) / 1000));
    }
  }
  return best;
}

function main(): void {
  console.log(`Generating ${CANDLES.toLocaleString('en')} synthetic candles… (${load()})`);
  const candles = syntheticCandles(CANDLES);
  const series = seriesOf(candles);
  const columns = toCandleColumns(candles);
  const warmUpSeries = seriesOf(candles.slice(0, WARM_UP));
  const binding = loadTalib();

  // Streaming first, as in a long-running worker that only streams: a batch run of a million row
  // objects grows V8's young generation, which makes every later short-lived allocation dearer
  // on this machine (its page faults are slow). The streaming phase warms itself up.
  const streamUs = streamingChunksUs(candles);
  const streamMedianUs = streamUs[Math.floor(streamUs.length / 2)]!;

  // TA-Lib C over the same double[] columns: one untimed repetition (page faults, caches), then
  // the best of REPEATS, exactly as for the kernel below.
  const talibC = runTalibC(columns, REPEATS + 1);
  // Best repetition (after the untimed first) of the sum over a set of functions.
  const bestOf = (run: TalibCRun, sets: TalibCFunction['set'][]) => {
    const chosen = run.functions.filter((f) => sets.includes(f.set));
    const perRepetition = chosen[0]!.cpuMs.map((_, r) => chosen.reduce((sum, f) => sum + f.cpuMs[r]!, 0));
    return Math.min(...perRepetition.slice(1));
  };
  const talibCms = typeof talibC === 'string' ? undefined : bestOf(talibC, ['headline']);
  const talibCompleteMs = typeof talibC === 'string' ? undefined : bestOf(talibC, ['headline', 'complete']);

  // The kernel writes into preallocated columns, as the C harness writes into preallocated
  // arrays; one untimed full run compiles it and faults the pages in.
  const out = allocateFeatureColumns(CANDLES);
  runFeatureColumns(new OhlcvFeatureEngine(), columns, out);
  const kernel = fastestOf(() => runFeatureColumns(new OhlcvFeatureEngine(), columns, out));
  const families = familyTimings(columns, out);
  stepwiseColumns(candles.slice(0, WARM_UP), out);
  const stepwise = time(() => stepwiseColumns(candles, out));
  computeOhlcvFeatureColumns(candles.slice(0, WARM_UP));
  const allocating = time(() => computeOhlcvFeatureColumns(candles));
  computeOhlcvFeatures(candles.slice(0, WARM_UP));
  if (typeof binding !== 'string') runTalib(binding, warmUpSeries);
  runTechnicalIndicators(warmUpSeries);
  const bindingTiming = typeof binding === 'string' ? undefined : time(() => runTalib(binding, series));
  const technical = time(() => runTechnicalIndicators(series));
  // The row-object batch last, as it needs ~1 GB.
  const oursRows = time(() => computeOhlcvFeatures(candles));

  const line = (label: string, text: string) => console.log(`  ${label.padEnd(46)}${text}`);
  const versus = (t: Timing) => `${ratio(t.cpuMs, talibCms)} TA-Lib C, ${ratio(t.cpuMs, technical.cpuMs)} technicalindicators`;
  console.log(`\nBatch, ${CANDLES.toLocaleString('en')} candles, CPU time; ratios against TA-Lib C called directly from C`);
  if (typeof talibC === 'string') line('TA-Lib C direct (baseline)', `NOT MEASURED: ${talibC}`);
  else line(`TA-Lib C direct, 11 functions (baseline)`, `${(talibCms! / 1000).toFixed(3)} s CPU, best of ${REPEATS}  (${talibC.compiler}; ${TALIB_CALLS.map(([n]) => n).join(', ')})`);
  if (typeof talibC !== 'string') {
    line(`TA-Lib C direct, every call for the 33 features`, `${(talibCompleteMs! / 1000).toFixed(3)} s CPU, best of ${REPEATS}  (the 11 + ${talibC.functions.filter((f) => f.set === 'complete').length} more: returns, averages, ±DI, Keltner, Donchian, volatility)`);
    for (const f of talibC.functions) line(`    ${f.name} (${f.set})`, `${(Math.min(...f.cpuMs.slice(1)) / 1000).toFixed(4)} s CPU`);
  }
  line(`ours, 33 features, column kernel`, `${seconds(kernel)} best of ${REPEATS}  ${versus(kernel)}; ${ratio(kernel.cpuMs, talibCompleteMs)} TA-Lib C computing all 33`);
  console.log(`  per family, ours beside TA-Lib C's calls for the same features (CPU ms, best of ${REPEATS} each)`);
  const talibCFunctionMs = new Map(typeof talibC === 'string' ? [] : talibC.functions.map((f) => [f.name, Math.min(...f.cpuMs.slice(1))]));
  for (const [name, ms] of families) {
    const calls = FAMILY_TALIB[name] ?? [];
    const cMs = calls.reduce((sum, call) => sum + (talibCFunctionMs.get(call) ?? NaN), 0);
    const beside = Number.isFinite(cMs) && cMs > 0 ? `C ${cMs.toFixed(1).padStart(5)} ms  ${(ms / cMs).toFixed(2)}×  (${calls.join(', ')})` : 'no TA-Lib C figure';
    line(`    ${name}`, `${ms.toFixed(1).padStart(6)} ms   ${beside}`);
  }
  line('ours, the same stepped candle by candle (before)', `${seconds(stepwise)}  ${versus(stepwise)}`);
  line('ours, column kernel + allocating the output', `${seconds(allocating)}  ${versus(allocating)}`);
  line('ours, row objects', `${seconds(oursRows)}  ${versus(oursRows)}`);
  if (typeof binding === 'string') line('TA-Lib via the node `talib` binding', `SKIPPED: the binding did not load (${binding})`);
  else line('TA-Lib via the node `talib` binding', `${seconds(bindingTiming!)}  ${ratio(bindingTiming!.cpuMs, talibCms)} TA-Lib C (copying JS arrays, not TA-Lib)`);
  line('technicalindicators, the same 11', seconds(technical));

  const updates = (STREAM_CHUNKS * STREAM_CHUNK).toLocaleString('en');
  const untimed = (STREAM_WARM_UP + STREAM_CHUNK).toLocaleString('en');
  console.log(`\nStreaming, one update of all 33 features (${updates} timed in ${STREAM_CHUNKS} chunks, after ${untimed} untimed)`);
  const [best, worst] = [streamUs[0]!, streamUs[streamUs.length - 1]!];
  line('CPU µs per candle', `median ${streamMedianUs.toFixed(2)}, best chunk ${best.toFixed(2)}, worst ${worst.toFixed(2)}`);

  console.log(`\nGoals (${load()} at the end)`);
  const verdict = (met: boolean) => (met ? 'MET' : 'NOT MET');
  if (talibCms === undefined) line(`batch ≤ ${BATCH_GOAL}× TA-Lib C`, 'NOT CHECKED (no TA-Lib C baseline, see above)');
  else line(`33 features ≤ ${BATCH_GOAL}× TA-Lib C (CPU time)`, `${verdict(kernel.cpuMs <= BATCH_GOAL * talibCms)} (${ratio(kernel.cpuMs, talibCms)}; stepped: ${ratio(stepwise.cpuMs, talibCms)})`);
  line(`streaming ≤ ${STREAM_GOAL_US} µs`, `${verdict(streamMedianUs <= STREAM_GOAL_US)} (median ${streamMedianUs.toFixed(2)} µs)`);
}

main();
