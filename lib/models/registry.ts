import type { PrismaClient } from '@/lib/db/prisma';
import type { ModelMetadata, Prisma } from '@/lib/generated/prisma/client';
import type { BaselineParameters } from './baselines';
import { modelIdOf, type ModelKind, type ModelRecord, type ModelStatus, type Registration } from './contract';
import { ModelContractError, ModelNotFoundError, ModelStateError } from './errors';
import type { CheckedOnnxModel } from './onnx-model';

/**
 * The model registry in ml_models_metadata, through the Prisma client: one row per model version
 * (model_id = name@version). Versions of one name form a line: at most one of them is active at a
 * time; activating a version retires the one it replaces, and rolling back re-activates the version
 * that was active before. Several names can be active at once (each scored on every new candle).
 */
const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toRecord(row: ModelMetadata): ModelRecord {
  return {
    modelId: row.modelId,
    name: row.name,
    version: row.version,
    kind: row.kind as ModelKind,
    status: row.status as ModelStatus,
    labelType: row.labelType as ModelRecord['labelType'],
    horizon: row.labelHorizon ?? '',
    threshold: row.labelThreshold,
    timeframe: row.timeframe,
    symbols: row.symbols as string[],
    features: row.featureSet as string[],
    classNames: row.classNames as string[],
    trainingStart: iso(row.trainingStart),
    trainingEnd: iso(row.trainingEnd),
    fileChecksum: row.fileChecksum,
    inputName: row.inputName,
    probabilityOutput: row.probabilityOutput,
    metrics: row.metrics as Record<string, unknown>,
    registeredBy: row.registeredBy,
    registeredAt: row.registeredAt.toISOString(),
    activatedAt: iso(row.activatedAt),
    retiredAt: iso(row.retiredAt),
    trainedAt: row.trainedAt.toISOString(),
  };
}

type Artifact =
  | { kind: 'onnx'; bytes: Uint8Array; checked: CheckedOnnxModel }
  | { kind: Exclude<ModelKind, 'onnx'>; parameters: BaselineParameters; features: string[]; classNames: string[] };

/** Stores a new version; the name@version must be new (a version is never overwritten). */
export async function registerModel(prisma: PrismaClient, registration: Registration, artifact: Artifact, extra: { evaluation?: unknown; metrics?: Record<string, unknown> } = {}): Promise<ModelRecord> {
  const modelId = modelIdOf(registration.name, registration.version);
  const features = artifact.kind === 'onnx' ? artifact.checked.features : artifact.features;
  const classNames = artifact.kind === 'onnx' ? artifact.checked.classNames : artifact.classNames;
  return prisma.$transaction(async (tx) => {
    // One registration of a name@version at a time: the table's key includes trained_at (a hypertable's partition column).
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${modelId}))`;
    if (await tx.modelMetadata.findFirst({ where: { modelId }, select: { modelId: true } })) {
      throw new ModelStateError(`${modelId} is already registered: give the new model another --version`);
    }
    if (artifact.kind === 'onnx') {
      const { checksum } = artifact.checked;
      const bytes = Buffer.from(artifact.bytes);
      await tx.modelFile.upsert({ where: { checksum }, create: { checksum, bytes, sizeBytes: bytes.length }, update: {} });
    }
    const row = await tx.modelMetadata.create({
      data: {
        modelId,
        name: registration.name,
        version: registration.version,
        kind: artifact.kind,
        labelType: registration.labelType,
        labelHorizon: registration.horizon,
        labelThreshold: registration.threshold ?? null,
        timeframe: registration.timeframe,
        symbols: registration.symbols,
        featureSet: features,
        classNames,
        trainingStart: registration.trainingStart ?? null,
        trainingEnd: registration.trainingEnd ?? null,
        status: 'candidate',
        fileChecksum: artifact.kind === 'onnx' ? artifact.checked.checksum : null,
        parameters: artifact.kind === 'onnx' ? undefined : (artifact.parameters as unknown as Prisma.InputJsonValue),
        inputName: artifact.kind === 'onnx' ? artifact.checked.inputName : null,
        probabilityOutput: artifact.kind === 'onnx' ? artifact.checked.probabilityOutput : null,
        evaluation: extra.evaluation === undefined ? undefined : (extra.evaluation as Prisma.InputJsonValue),
        metrics: (extra.metrics ?? {}) as Prisma.InputJsonValue,
        registeredBy: registration.registeredBy,
        trainedAt: registration.trainingEnd ?? new Date(),
      },
    });
    return toRecord(row);
  });
}

export async function listModels(prisma: PrismaClient, where: { status?: ModelStatus } = {}): Promise<ModelRecord[]> {
  const rows = await prisma.modelMetadata.findMany({ where, orderBy: [{ name: 'asc' }, { registeredAt: 'desc' }] });
  return rows.map(toRecord);
}

export async function getModelRow(prisma: PrismaClient, modelId: string): Promise<ModelMetadata> {
  const row = await prisma.modelMetadata.findFirst({ where: { modelId } });
  if (!row) throw new ModelNotFoundError(`no model ${modelId}`);
  return row;
}

export async function getModel(prisma: PrismaClient, modelId: string): Promise<ModelRecord & { evaluation: unknown }> {
  const row = await getModelRow(prisma, modelId);
  return { ...toRecord(row), evaluation: row.evaluation };
}

export async function modelFile(prisma: PrismaClient, checksum: string): Promise<Uint8Array> {
  const file = await prisma.modelFile.findUnique({ where: { checksum } });
  if (!file) throw new ModelContractError(`the model file ${checksum} is missing from ml_model_files`);
  return new Uint8Array(file.bytes);
}

export async function storeEvaluation(prisma: PrismaClient, modelId: string, evaluation: unknown, metrics: Record<string, unknown>): Promise<void> {
  await getModelRow(prisma, modelId);
  await prisma.modelMetadata.updateMany({ where: { modelId }, data: { evaluation: evaluation as Prisma.InputJsonValue, metrics: metrics as Prisma.InputJsonValue } });
}

export type ModelAction = 'activate' | 'retire' | 'rollback';

/** Changes a version's status; returns every version of the name afterwards. */
export async function changeStatus(prisma: PrismaClient, modelId: string, action: ModelAction, now = new Date()): Promise<ModelRecord[]> {
  const model = await getModelRow(prisma, modelId);
  await prisma.$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(hashtext(${`line:${model.name}`}))`;
    const current = await tx.modelMetadata.findFirst({ where: { modelId } });
    const line = { name: model.name };
    if (action === 'activate') {
      if (current!.status === 'failed') throw new ModelStateError(`${modelId} failed and cannot be activated`);
      if (current!.status === 'active') return;
      await tx.modelMetadata.updateMany({ where: { ...line, status: 'active' }, data: { status: 'retired', retiredAt: now } });
      await tx.modelMetadata.updateMany({ where: { modelId }, data: { status: 'active', activatedAt: now, retiredAt: null } });
    } else if (action === 'retire') {
      if (current!.status === 'retired') return;
      await tx.modelMetadata.updateMany({ where: { modelId }, data: { status: 'retired', retiredAt: now } });
    } else {
      if (current!.status !== 'active') throw new ModelStateError(`${modelId} is not active: only the active version can be rolled back`);
      const previous = await tx.modelMetadata.findFirst({
        where: { ...line, modelId: { not: modelId }, activatedAt: { not: null }, status: 'retired' },
        orderBy: { activatedAt: 'desc' },
      });
      if (!previous) throw new ModelStateError(`${model.name} has no earlier active version to roll back to`);
      await tx.modelMetadata.updateMany({ where: { modelId }, data: { status: 'retired', retiredAt: now } });
      await tx.modelMetadata.updateMany({ where: { modelId: previous.modelId }, data: { status: 'active', activatedAt: now, retiredAt: null } });
    }
  });
  const rows = await prisma.modelMetadata.findMany({ where: { name: model.name }, orderBy: { registeredAt: 'desc' } });
  return rows.map(toRecord);
}
