export { generateLabels, LabelRequestError, totalComputed, type GenerateLabelsRequest, type GenerateLabelsResult, type LabelGeneratorDeps } from './generate';
export { DEFAULT_LABEL_SPECS, describeLabel, LABEL_TYPES, LABEL_VALUES, LABEL_VERSION, labelSource, type LabelSpec, type LabelType } from './definitions';
export { CandleSeries, sectorRotationLabel, thresholdLabel, type ComputedLabel, type LabelCandle } from './compute';
export { DEFAULT_SPEC_LIST, findSpec, parseLabelSpecs } from './specs';
export { labelWrittenCandles, type LabelWrittenRequest } from './after-write';
export { labelBehindWatermarks, readWatermarks } from './watermark';
