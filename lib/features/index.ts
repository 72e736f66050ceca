export {
  EXTRA_FEATURE_COLUMNS,
  FEATURE_COLUMNS,
  FEATURE_DEFINITIONS,
  FEATURE_VERSION,
  SEED_FEATURE_COLUMNS,
  type ExtraFeatureColumn,
  type FeatureDefinition,
  type FeatureColumn,
  type OhlcvFeatures,
  type SeedFeatureColumn,
} from './definitions';
export { assertAscendingUnique, computeFeatureColumns, computeOhlcvFeatureColumns, computeOhlcvFeatures, toCandleColumns } from './compute';
export { allocateFeatureColumns, runFeatureColumns, type CandleColumns, type FeatureColumnArrays } from './kernel';
export { OhlcvFeatureEngine } from './engine';
export { OhlcvFeatureStream, RESTORE_HISTORY_CANDLES, type RestoreOptions } from './stream';
export { computeFeaturesCsv, computeFeaturesFile } from './csv';
export { engineStateLayout, restoreEngineState, saveEngineState, type EngineCheckpoint } from './state';
