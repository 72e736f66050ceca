import { readFeatureRows } from './dataset';
import { MODEL_FEATURES, type Registration } from './contract';
import { ModelContractError } from './errors';
import { checkOnnxModel } from './onnx-model';
import type { ModelDeps } from './predictions';
import { registerModel } from './registry';

/** Largest ONNX file accepted (the admin upload and the CLI alike). */
export const MAX_MODEL_BYTES = 50 * 1024 * 1024;

/**
 * Registers an ONNX model as a candidate: the file is checked against the contract first (input,
 * outputs, class names, features) and probed on stored rows of its series when there are some, so a
 * model that would fail in the worker is refused here with the reason, and nothing is written.
 */
export async function registerOnnxModel(deps: ModelDeps, registration: Registration, bytes: Uint8Array, probe: { symbol?: string } = {}) {
  if (bytes.length === 0) throw new ModelContractError('the model file is empty');
  if (bytes.length > MAX_MODEL_BYTES) throw new ModelContractError(`the model file is ${bytes.length} bytes; at most ${MAX_MODEL_BYTES} are accepted`);
  // A first pass without probe rows resolves the input's feature order (the file may name it).
  const checked = await checkOnnxModel(bytes, { features: registration.features, classNames: registration.classNames ?? null });
  const unknown = checked.features.filter((f) => !MODEL_FEATURES.includes(f));
  if (unknown.length) throw new ModelContractError(`features: not stored features: ${unknown.join(', ')}`);
  const symbol = probe.symbol ?? registration.symbols[0];
  if (symbol) {
    const recent = await readFeatureRows(deps.pool, { symbol, timeframe: registration.timeframe, features: checked.features, from: new Date(0), to: new Date() });
    const rows = recent.features.filter((_, i) => recent.complete[i]).slice(-64);
    if (rows.length) await checkOnnxModel(bytes, { features: checked.features, classNames: checked.classNames }, rows);
  }
  return registerModel(deps.prisma, registration, { kind: 'onnx', bytes, checked });
}
