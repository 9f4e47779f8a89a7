export { type ImportOptions, importFile, runImportBatch } from './importer.ts';
