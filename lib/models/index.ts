export * from './contract';
export * from './errors';
export { registerOnnxModel, MAX_MODEL_BYTES } from './register';
export { listModels, getModel, changeStatus, type ModelAction } from './registry';
export { predictRange, scoreNewCandles, writePredictions, type ModelDeps, type ScoreSummary } from './predictions';
export { evaluateModel, trainBaseline } from './evaluate';
export { driftReport, realizedPerformance } from './monitor';
