export { runExportCommand, EXPORT_USAGE, type ExportCommandIo } from './command';
export { buildTrainingSet, EXPORT_COLUMNS, EXCLUSION_REASONS, type Sql, type ExportRow, type TrainingSet, type TrainingSetMetadata } from './dataset';
export { encodeCsv, encodeParquet } from './encode';
export { ExportEmptyError, exportTrainingSet, metadataPathFor, trainingSetDownload, type ExportedFiles, type TrainingSetDownload } from './export';
export { ExportArgumentError, parseExportQuery, parseExportRequest, type ExportFormat, type ExportRequest } from './request';
