import { createHash } from 'node:crypto';
import { FEATURE_VERSION } from './definitions';
import { OhlcvFeatureEngine } from './engine';

/**
 * An engine's whole state as numbers, so a series can continue where it stopped (another worker,
 * a restart) instead of replaying 1,000 stored candles. Every indicator keeps its state in
 * numbers and Float64Arrays only, so the state is those values in a fixed walk order; restoring
 * it gives an engine whose next outputs are bit-identical to the uninterrupted one's.
 *
 * `layout` fingerprints the walk (field names and array sizes) with the feature version: a
 * checkpoint written by different code does not fit and is refused, so the caller rebuilds.
 */
export interface EngineCheckpoint {
  layout: string;
  /** Open time of the last candle the engine has folded in. */
  lastTimestamp: number;
  state: Float64Array;
}

type Visit = (path: string, value: number | Float64Array) => void;

function walk(node: object, path: string, visit: Visit): void {
  for (const key of Object.keys(node)) {
    const value = (node as Record<string, unknown>)[key];
    const at = `${path}.${key}`;
    if (typeof value === 'number' || value instanceof Float64Array) visit(at, value);
    else if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) walk(value, at, visit);
    else throw new Error(`engine state ${at} is neither a number, a Float64Array nor an object of them`);
  }
}

function describeLayout(): { layout: string; size: number } {
  const parts: string[] = [];
  let size = 0;
  walk(new OhlcvFeatureEngine(), '', (path, value) => {
    const length = typeof value === 'number' ? 1 : value.length;
    parts.push(`${path}:${typeof value === 'number' ? 'n' : `f${length}`}`);
    size += length;
  });
  const digest = createHash('sha256').update(parts.join(',')).digest('hex').slice(0, 16);
  return { layout: `${FEATURE_VERSION}/${digest}`, size };
}

let described: { layout: string; size: number } | undefined;
/** The layout today's code writes and reads. */
export function engineStateLayout(): string {
  described ??= describeLayout();
  return described.layout;
}

export function saveEngineState(engine: OhlcvFeatureEngine): EngineCheckpoint {
  described ??= describeLayout();
  const state = new Float64Array(described.size);
  let offset = 0;
  walk(engine, '', (_, value) => {
    if (typeof value === 'number') state[offset++] = value;
    else {
      state.set(value, offset);
      offset += value.length;
    }
  });
  return { layout: described.layout, lastTimestamp: engine.lastTimestamp, state };
}

/** The engine a checkpoint describes, or null when it was written by other code (then rebuild). */
export function restoreEngineState(checkpoint: EngineCheckpoint): OhlcvFeatureEngine | null {
  described ??= describeLayout();
  if (checkpoint.layout !== described.layout || checkpoint.state.length !== described.size) return null;
  const engine = new OhlcvFeatureEngine();
  const { state } = checkpoint;
  let offset = 0;
  const assign = (node: Record<string, unknown>, key: string, value: number | Float64Array) => {
    if (typeof value === 'number') node[key] = state[offset++];
    else {
      value.set(state.subarray(offset, offset + value.length));
      offset += value.length;
    }
  };
  restoreInto(engine, assign);
  if (engine.lastTimestamp !== checkpoint.lastTimestamp) return null;
  return engine;
}

function restoreInto(node: object, assign: (node: Record<string, unknown>, key: string, value: number | Float64Array) => void): void {
  for (const key of Object.keys(node)) {
    const value = (node as Record<string, unknown>)[key];
    if (typeof value === 'number' || value instanceof Float64Array) assign(node as Record<string, unknown>, key, value);
    else restoreInto(value as object, assign);
  }
}
