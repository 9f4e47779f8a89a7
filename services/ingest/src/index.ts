export { type ImportOptions, importFile, runImportBatch } from './importer.ts';
export { type FieldChange, type JobChange, type RenormalizeReport, renormalizeJobs } from './renormalize.ts';
