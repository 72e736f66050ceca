import onnxProto from 'onnx-proto';
import { ModelContractError } from './errors';

/**
 * Reads what the model contract needs from an ONNX file's graph (onnx-proto, the protobuf schema
 * compiled for JavaScript): the single float input, the probability and label outputs, class labels
 * declared by the classifier or ZipMap node, and `metadata_props`. onnxruntime-node returns tensors
 * only, so a ZipMap (skl2onnx's and onnxmltools' default: a sequence of {class: probability} maps) is
 * cut off and its input, the [N, C] probability tensor, becomes the output; only then is the graph
 * re-encoded, otherwise the file's own bytes run untouched.
 */
const { onnx } = onnxProto;
type Graph = import('onnx-proto').onnx.IGraphProto;
type ValueInfo = import('onnx-proto').onnx.IValueInfoProto;
type Node = import('onnx-proto').onnx.INodeProto;

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const CLASSIFIERS = new Set(['LinearClassifier', 'TreeEnsembleClassifier', 'SVMClassifier', 'TreeEnsemble']);

export interface OnnxGraphInfo {
  /** Bytes to run: the file itself, or the graph without its ZipMap. */
  runnable: Uint8Array;
  inputName: string;
  /** F of the [N, F] input when the file fixes it. */
  inputWidth: number | null;
  probabilityOutput: string;
  labelOutput: string | null;
  /** Class labels the graph declares, in probability-column order. */
  classLabels: string[] | null;
  /** metadata_props `feature_names`: the input's column order. */
  featureNames: string[] | null;
  /** metadata_props `class_names`. */
  classNames: string[] | null;
  zipMapRemoved: boolean;
}

const dims = (info: ValueInfo) => info.type?.tensorType?.shape?.dim ?? null;
const dimValue = (dim: { dimValue?: unknown } | undefined) => (dim?.dimValue === undefined || dim.dimValue === null ? null : Number(String(dim.dimValue)) || null);

function list(text: string | undefined | null): string[] | null {
  if (!text) return null;
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) return parsed;
    } catch {
      // not JSON: read it as a comma-separated list below
    }
  }
  return trimmed.split(',').map((part) => part.trim()).filter(Boolean);
}

function classLabelsOf(node: Node): string[] | null {
  for (const attribute of node.attribute ?? []) {
    if (attribute.name === 'classlabels_strings' && attribute.strings?.length) return attribute.strings.map((b) => Buffer.from(b).toString('utf8'));
    if ((attribute.name === 'classlabels_ints' || attribute.name === 'classlabels_int64s') && attribute.ints?.length) return attribute.ints.map((v) => String(v));
  }
  return null;
}

function decode(bytes: Uint8Array) {
  try {
    const model = onnx.ModelProto.decode(bytes);
    if (!model.graph?.node?.length) throw new Error('no graph');
    return model;
  } catch {
    throw new ModelContractError('the file is not an ONNX model (it does not decode as onnx.ModelProto with a graph)');
  }
}

function graphInput(graph: Graph): ValueInfo {
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = (graph.input ?? []).filter((input) => !initializers.has(input.name));
  if (inputs.length !== 1) {
    throw new ModelContractError(`the model must take one input, a float tensor [N, F]; it takes ${inputs.length} (${inputs.map((i) => i.name).join(', ')})`);
  }
  const input = inputs[0];
  const shape = dims(input);
  if (input.type?.tensorType?.elemType !== FLOAT || !shape || shape.length !== 2) {
    throw new ModelContractError(`input "${input.name}" must be a float32 tensor of shape [N, F]`);
  }
  return input;
}

export function readOnnxGraph(bytes: Uint8Array): OnnxGraphInfo {
  const model = decode(bytes);
  const graph = model.graph!;
  const input = graphInput(graph);
  const producers = new Map<string, Node>();
  for (const node of graph.node ?? []) for (const output of node.output ?? []) producers.set(output, node);

  let zipMapRemoved = false;
  let classLabels: string[] | null = null;
  for (const node of graph.node ?? []) if (CLASSIFIERS.has(node.opType ?? '')) classLabels ??= classLabelsOf(node);

  const outputs: ValueInfo[] = [];
  for (const output of graph.output ?? []) {
    const producer = producers.get(output.name ?? '');
    if (output.type?.sequenceType && producer?.opType === 'ZipMap') {
      classLabels = classLabelsOf(producer) ?? classLabels;
      graph.node = graph.node!.filter((node) => node !== producer);
      outputs.push(onnx.ValueInfoProto.create({
        name: producer.input![0],
        type: { tensorType: { elemType: FLOAT, shape: { dim: [{ dimParam: 'N' }, { dimValue: classLabels?.length ?? 0 }] } } },
      }));
      zipMapRemoved = true;
    } else if (output.type?.tensorType) {
      outputs.push(output);
    } else {
      throw new ModelContractError(`output "${output.name}" is not a tensor (only ZipMap's sequence of maps is converted)`);
    }
  }
  graph.output = outputs;

  const probabilities = outputs.filter((o) => o.type?.tensorType?.elemType === FLOAT && dims(o)?.length === 2);
  if (probabilities.length === 0) {
    throw new ModelContractError('the model has no output of class probabilities, a float tensor [N, C]');
  }
  const probability = probabilities.find((o) => /prob/i.test(o.name ?? '')) ?? probabilities[0];
  const label = outputs.find((o) => dims(o)?.length === 1) ?? null;
  const props = new Map((model.metadataProps ?? []).map((p) => [p.key ?? '', p.value ?? '']));

  return {
    runnable: zipMapRemoved ? onnx.ModelProto.encode(model).finish() : bytes,
    inputName: input.name!,
    inputWidth: dimValue(dims(input)![1]),
    probabilityOutput: probability.name!,
    labelOutput: label?.name ?? null,
    classLabels,
    featureNames: list(props.get('feature_names')),
    classNames: list(props.get('class_names')),
    zipMapRemoved,
  };
}
