export { type ImportOptions, importFile, runImportBatch } from './importer.ts';
export { classify, detectEncoding } from './readers/sniff.ts';
