export { runExportCommand, EXPORT_USAGE, type ExportCommandIo } from './command';
export { exportColumns, labelColumns, type ExportColumnDef, type ExportRow } from './columns';
export { assembleRow, asOfSentiment, EXCLUSION_REASONS, readSeriesStarts, crossesGap, readWindow, type JoinedRecord } from './dataset';
export { byteRange, cachedTrainingSetDownload, DOWNLOAD_TTL_MS } from './download-cache';
export { METADATA_KEY, openSink } from './encode';
export { buildTrainingSet, downloadFilename, ExportEmptyError, exportTrainingSet, metadataPathFor, trainingSetDownload, type ExportedFiles, type ExportProgress, type TrainingSetDownload } from './export';
export { TrainingSetStats, type TrainingSetMetadata } from './metadata';
export { ExportArgumentError, parseExportQuery, parseExportRequest, SIMULATED_POLICIES, type ExportFormat, type ExportRequest, type SimulatedPolicy } from './request';
