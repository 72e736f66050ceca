import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelContractError } from '@/lib/models/errors';
import { checkOnnxModel, columnOrder, loadOnnxPredictor } from '@/lib/models/onnx-model';

// Models and the probabilities Python's onnxruntime gave: scripts/models/make_fixtures.py.
const dir = path.join(process.cwd(), 'tests/fixtures/models');
const file = (name: string) => new Uint8Array(readFileSync(path.join(dir, name)));
const reference = JSON.parse(readFileSync(path.join(dir, 'reference.json'), 'utf8')) as {
  features: string[];
  classes: string[];
  rows: number[][];
  models: Record<string, { probabilities: number[][] }>;
};
const rows = reference.rows.map((row) => Float64Array.from(row));

describe('ONNX models as the common exporters write them', () => {
  it.each([
    ['logistic.onnx', 'skl2onnx LinearClassifier + Softmax, zipmap=False'],
    ['logistic-zipmap.onnx', 'skl2onnx LinearClassifier + Softmax + ZipMap'],
    ['random-forest.onnx', 'skl2onnx TreeEnsembleClassifier with string labels'],
    ['lightgbm.onnx', 'onnxmltools TreeEnsembleClassifier (SOFTMAX) + ZipMap'],
    ['torch-mlp.onnx', 'torch.onnx.export, feature order in metadata_props'],
  ])('%s (%s) predicts what Python onnxruntime predicted', async (name) => {
    const checked = await checkOnnxModel(file(name), { features: reference.features, classNames: reference.classes });
    expect(checked.classNames).toEqual(reference.classes);
    const model = await loadOnnxPredictor(file(name), checked.inputName, checked.probabilityOutput, checked.features.length);
    const reorder = columnOrder(reference.features, checked.features);
    const predicted = await model.predict(rows.map(reorder));
    await model.release();
    const expected = reference.models[name].probabilities;
    expect(predicted).toHaveLength(expected.length);
    predicted.forEach((row, r) => row.forEach((p, c) => expect(p).toBeCloseTo(expected[r][c], 6)));
  });

  it('reads the feature order a torch export names in metadata_props', async () => {
    const checked = await checkOnnxModel(file('torch-mlp.onnx'), { features: reference.features, classNames: null });
    expect(checked.features).toEqual(['volume_zscore_20', 'return_4', 'rsi', 'macd_histogram', 'realized_vol_24']);
    expect(checked.classNames).toEqual(['down', 'flat', 'up']);
    expect(checked.graph.zipMapRemoved).toBe(false);
  });

  it('removes ZipMap so onnxruntime-node can return the probability tensor', async () => {
    const checked = await checkOnnxModel(file('lightgbm.onnx'), { features: reference.features, classNames: reference.classes });
    expect(checked.graph.zipMapRemoved).toBe(true);
    expect(checked.probabilityOutput).toBe('probabilities');
  });
});

describe('a model that does not fit the contract is refused at registration', () => {
  const refuse = (name: string, spec: Parameters<typeof checkOnnxModel>[1]) => checkOnnxModel(file(name), spec);

  it('a regressor has no class probabilities', async () => {
    await expect(refuse('bad-regressor.onnx', { features: reference.features, classNames: reference.classes })).rejects.toThrow(/has 1 columns, but there are 3 classes/);
  });
  it('an input of 3 features for 5 registered ones', async () => {
    await expect(refuse('bad-three-features.onnx', { features: reference.features, classNames: reference.classes })).rejects.toThrow(/takes 3 features, but 5 are registered/);
  });
  it('class names that are not the model\'s', async () => {
    await expect(refuse('random-forest.onnx', { features: reference.features, classNames: ['bullish', 'bearish', 'sideways'] })).rejects.toThrow(/are not the registered class names/);
  });
  it('integer class labels without names', async () => {
    await expect(refuse('logistic.onnx', { features: reference.features, classNames: null })).rejects.toThrow(/declares no class names/);
  });
  it('features that are not the ones the file names', async () => {
    await expect(refuse('torch-mlp.onnx', { features: ['rsi', 'atr', 'cci', 'obv', 'mfi'], classNames: null })).rejects.toThrow(/feature_names/);
  });
  it('a file that is not ONNX', async () => {
    await expect(checkOnnxModel(new TextEncoder().encode('timestamp,open\n1,2\n'), { features: reference.features, classNames: reference.classes })).rejects.toBeInstanceOf(ModelContractError);
  });
});
