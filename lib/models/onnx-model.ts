import { createHash } from 'node:crypto';
import * as ort from 'onnxruntime-node';
import { ModelContractError } from './errors';
import { readOnnxGraph, type OnnxGraphInfo } from './onnx-graph';
import type { Predict } from './scorer';

/**
 * Runs ONNX models in-process with onnxruntime-node (CPU). The contract: one float input [N, F] with
 * the features in the registered order (or the order named in metadata_props `feature_names`), an
 * output of class probabilities [N, C] (optionally a label output beside it). `checkOnnxModel` is the
 * registration gate: a model whose inputs or outputs do not fit is refused there with the reason,
 * after a probe run on real rows, so it cannot fail later in the worker.
 */
export interface OnnxModelSpec {
  /** The features the model is registered with; the input's column order unless the file names one. */
  features: string[];
  /** What each probability column means, in column order. */
  classNames: string[] | null;
}

export interface CheckedOnnxModel {
  checksum: string;
  /** The input's column order. */
  features: string[];
  classNames: string[];
  inputName: string;
  probabilityOutput: string;
  graph: OnnxGraphInfo;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

function resolveFeatures(graph: OnnxGraphInfo, registered: string[]): string[] {
  const features = graph.featureNames ?? registered;
  if (graph.featureNames && registered.length && !sameSet(graph.featureNames, registered)) {
    throw new ModelContractError(`the model's metadata_props feature_names (${graph.featureNames.join(', ')}) are not the registered features (${registered.join(', ')})`);
  }
  if (features.length === 0) throw new ModelContractError('name the features (in the input\'s column order), or put them in the model\'s metadata_props feature_names');
  if (new Set(features).size !== features.length) throw new ModelContractError('a feature is listed twice');
  if (graph.inputWidth !== null && graph.inputWidth !== features.length) {
    throw new ModelContractError(`input "${graph.inputName}" takes ${graph.inputWidth} features, but ${features.length} are registered (${features.join(', ')})`);
  }
  return features;
}

function resolveClasses(graph: OnnxGraphInfo, registered: string[] | null): string[] {
  const declared = graph.classLabels && graph.classLabels.some((label) => !/^-?\d+$/.test(label)) ? graph.classLabels : graph.classNames;
  if (declared && registered && !sameSet(declared, registered)) {
    throw new ModelContractError(`the model's classes (${declared.join(', ')}) are not the registered class names (${registered.join(', ')})`);
  }
  // Names the graph declares fix the column order; otherwise the registration says what column i is.
  const classes = declared ?? registered;
  if (!classes?.length) throw new ModelContractError('the model declares no class names: give them (in probability-column order)');
  return classes;
}

export async function createSession(bytes: Uint8Array): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(bytes, { executionMode: 'sequential', intraOpNumThreads: 1, interOpNumThreads: 1 });
  } catch (error) {
    throw new ModelContractError(`onnxruntime cannot load the model: ${(error as Error).message}`);
  }
}

async function runProbabilities(session: ort.InferenceSession, inputName: string, output: string, rows: Float64Array[], width: number): Promise<number[][]> {
  const data = new Float32Array(rows.length * width);
  rows.forEach((row, r) => data.set(row, r * width));
  const result = await session.run({ [inputName]: new ort.Tensor('float32', data, [rows.length, width]) }, [output]);
  const tensor = result[output];
  const [n, classes] = tensor.dims;
  if (tensor.dims.length !== 2 || n !== rows.length) throw new ModelContractError(`output "${output}" has shape [${tensor.dims.join(', ')}], not [${rows.length}, C]`);
  const values = tensor.data as Float32Array;
  return Array.from({ length: n }, (_, r) => Array.from(values.subarray(r * classes, (r + 1) * classes)));
}

/** Class probabilities must be finite, within [0, 1] and sum to 1 per row (a Softmax, not raw scores). */
function assertProbabilities(output: string, probabilities: number[][], classes: string[]): void {
  for (const row of probabilities) {
    if (row.length !== classes.length) {
      throw new ModelContractError(`output "${output}" has ${row.length} columns, but there are ${classes.length} classes (${classes.join(', ')})`);
    }
    const sum = row.reduce((a, b) => a + b, 0);
    if (row.some((p) => !Number.isFinite(p) || p < -1e-6 || p > 1 + 1e-6) || Math.abs(sum - 1) > 1e-3) {
      throw new ModelContractError(`output "${output}" is not class probabilities (a row is [${row.map((p) => p.toPrecision(3)).join(', ')}], summing to ${sum.toPrecision(4)}): end the graph with a Softmax`);
    }
  }
}

/** Loads and probes a model file; `probeRows` are real feature rows in the registered order when there are some. */
export async function checkOnnxModel(bytes: Uint8Array, spec: OnnxModelSpec, probeRows: Float64Array[] = []): Promise<CheckedOnnxModel> {
  const graph = readOnnxGraph(bytes);
  const features = resolveFeatures(graph, spec.features);
  const classNames = resolveClasses(graph, spec.classNames);
  const session = await createSession(graph.runnable);
  try {
    const reorder = columnOrder(spec.features.length ? spec.features : features, features);
    const rows = probeRows.length ? probeRows.map(reorder) : [new Float64Array(features.length), Float64Array.from(features, (_, i) => i + 1)];
    let probabilities: number[][];
    try {
      probabilities = await runProbabilities(session, graph.inputName, graph.probabilityOutput, rows, features.length);
    } catch (error) {
      if (error instanceof ModelContractError) throw error;
      throw new ModelContractError(`the model fails on [${rows.length}, ${features.length}] float input: ${(error as Error).message}`);
    }
    assertProbabilities(graph.probabilityOutput, probabilities, classNames);
  } finally {
    await session.release();
  }
  return { checksum: sha256(bytes), features, classNames, inputName: graph.inputName, probabilityOutput: graph.probabilityOutput, graph };
}

/** Maps a row in one feature order to another. */
export function columnOrder(from: readonly string[], to: readonly string[]): (row: Float64Array) => Float64Array {
  const index = to.map((name) => from.indexOf(name));
  if (index.every((source, target) => source === target)) return (row) => row;
  return (row) => Float64Array.from(index, (source) => row[source]);
}

/** A loaded model's predictor: rows in the model's input order (the registered feature_set). */
export async function loadOnnxPredictor(bytes: Uint8Array, inputName: string, probabilityOutput: string, width: number): Promise<{ predict: Predict; release(): Promise<void> }> {
  const session = await createSession(readOnnxGraph(bytes).runnable);
  return {
    predict: async (rows) => (rows.length ? runProbabilities(session, inputName, probabilityOutput, rows, width) : []),
    release: () => session.release(),
  };
}
