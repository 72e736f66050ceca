/**
 * TA-Lib C called directly, as the indicator benchmark's baseline: compiles ./harness.c with the
 * system C compiler (`cc -O2`) against the static library the `talib` dev dependency builds at
 * install, into a temporary folder (never into the repository), and runs it over the same
 * double[] columns the engine is timed on. When no compiler or no library is there it says why
 * instead of measuring something else.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface CandleColumnsInput {
  open: ArrayLike<number>;
  high: ArrayLike<number>;
  low: ArrayLike<number>;
  close: ArrayLike<number>;
  volume: ArrayLike<number>;
}

export interface TalibCFunction {
  name: string;
  /** "headline": the 11 functions behind the seed columns; "complete": the rest of the 33 features. */
  set: 'headline' | 'complete';
  /** CPU milliseconds of each repetition, as the harness measured them (getrusage). */
  cpuMs: number[];
}

export interface TalibCRun {
  functions: TalibCFunction[];
  compiler: string;
}

const HARNESS = path.join(path.dirname(new URL(import.meta.url).pathname), 'harness.c');

function talibLibrary(): { include: string; library: string } | string {
  let root: string;
  try {
    root = path.dirname(createRequire(import.meta.url).resolve('talib/package.json'));
  } catch {
    return 'the `talib` dev dependency is not installed';
  }
  const include = path.join(root, 'src', 'lib', 'include');
  const library = path.join(root, 'src', 'lib', 'lib', 'libta_libc_csr.a');
  if (!existsSync(path.join(include, 'ta_libc.h')) || !existsSync(library)) return `no static TA-Lib under ${root}/src/lib (the talib install script builds it)`;
  return { include, library };
}

function compilerVersion(compiler: string): string | null {
  const probe = spawnSync(compiler, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.split('\n')[0]!.trim() : null;
}

/** Runs the harness's TA-Lib functions over the columns `repetitions` times, or returns why it cannot. */
export function runTalibC(columns: CandleColumnsInput, repetitions: number): TalibCRun | string {
  const talib = talibLibrary();
  if (typeof talib === 'string') return talib;
  const compiler = process.env.CC ?? 'cc';
  const version = compilerVersion(compiler);
  if (!version) return `no C compiler (${compiler}) on this machine`;
  const dir = mkdtempSync(path.join(tmpdir(), 'ff-talib-c-'));
  try {
    const binary = path.join(dir, 'harness');
    execFileSync(compiler, ['-O2', HARNESS, `-I${talib.include}`, talib.library, '-lm', '-o', binary], { stdio: 'pipe' });
    const n = columns.close.length;
    const data = new Float64Array(1 + 5 * n);
    new BigInt64Array(data.buffer, 0, 1)[0] = BigInt(n);
    [columns.open, columns.high, columns.low, columns.close, columns.volume].forEach((column, c) => data.set(column, 1 + c * n));
    const input = path.join(dir, 'series.bin');
    writeFileSync(input, new Uint8Array(data.buffer));
    const output = execFileSync(binary, [input, String(repetitions)], { encoding: 'utf8' });
    const parsed = JSON.parse(output) as { candles: number; functions: TalibCFunction[] };
    if (parsed.candles !== n) return `the harness read ${parsed.candles} candles, not ${n}`;
    return { functions: parsed.functions, compiler: `${version}, -O2` };
  } catch (error) {
    return `building or running the C harness failed: ${(error as Error).message.split('\n')[0]}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
