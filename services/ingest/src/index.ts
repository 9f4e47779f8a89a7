export { type ImportOptions, importFile, runImportBatch } from './importer.ts';
export { classify, detectEncoding } from './readers/sniff.ts';
export { type IngestWorker, startIngestWorker } from './worker.ts';
