import type { PrismaClient } from '@/lib/db/prisma';
import type { ModelMetadata } from '@/lib/generated/prisma/client';
import { baselineFrom, type BaselineParameters } from './baselines';
import { ModelContractError } from './errors';
import { loadOnnxPredictor } from './onnx-model';
import { modelFile } from './registry';
import type { Scorer } from './scorer';

/**
 * Turns a registry row into a Scorer. Loaded models are kept per process, keyed by version and file
 * checksum (a version never changes its file), so scoring a new candle does not reload the session.
 */
const cache = new Map<string, Promise<Scorer>>();

async function build(prisma: PrismaClient, row: ModelMetadata): Promise<Scorer> {
  const features = row.featureSet as string[];
  const classNames = row.classNames as string[];
  if (row.kind === 'onnx') {
    if (!row.fileChecksum || !row.inputName || !row.probabilityOutput) throw new ModelContractError(`${row.modelId} has no model file registered`);
    const onnx = await loadOnnxPredictor(await modelFile(prisma, row.fileChecksum), row.inputName, row.probabilityOutput, features.length);
    return { modelId: row.modelId, features, classNames, predict: onnx.predict };
  }
  const baseline = baselineFrom(row.parameters as unknown as BaselineParameters);
  return { modelId: row.modelId, features, classNames, predict: baseline.predict };
}

export function loadScorer(prisma: PrismaClient, row: ModelMetadata): Promise<Scorer> {
  const key = `${row.modelId}|${row.fileChecksum ?? row.kind}`;
  let scorer = cache.get(key);
  if (!scorer) {
    scorer = build(prisma, row);
    cache.set(key, scorer);
    scorer.catch(() => cache.delete(key));
  }
  return scorer;
}
